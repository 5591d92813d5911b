/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for <linux/list.h>: see ictx_shim.h. */
#include "ictx_shim.h"
