// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: swgpu tracepoint instantiation
 *
 * The one place the swgpu tracepoints are instantiated.
 */
#define CREATE_TRACE_POINTS
#include "swgpu_trace.h"
