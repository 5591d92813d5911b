// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
MODULE_DESCRIPTION("x");
MODULE_LICENSE("GPL");
