/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * The guest's memory for the eviction tests: /proc and sysfs values, swap
 * on zram, and real memory pressure that reaches drm_gmmu's shrinker.
 * Every helper asserts.
 */
#ifndef SWGPU_MEM_H
#define SWGPU_MEM_H

#include "swgpu_igt.h"

/* The value of "key: value" in @file, or the file's only number if !key. */
long long file_value(const char *file, const char *key);
/* Runs @cmd with system(3), logged at debug level; returns its status. */
int sh(const char *cmd);

/*
 * Swap on zram, 1 GiB, unless swap is on already; returns whether there
 * is swap. The guest shares the host's root, where zram's module and
 * util-linux's mkswap/swapon are; the debug kernel has zram built in.
 */
int zram_swap_on(void);
/* Takes down the zram swap zram_swap_on() made, if it made one. */
void zram_swap_off(void);

/*
 * Takes all but @leave_mb of the available memory away as reserved huge
 * pages (cheap: nothing is written), so that a few hundred MiB of BOs are
 * real memory pressure on any lane. Returns the MiB it took.
 */
long long squeeze_memory(long long leave_mb);
/* Gives back what squeeze_memory() took (harmless if nothing). */
void squeeze_release(void);

/*
 * More BO memory than the guest has free, each BO bound in every one of
 * the @nvms VMs @vms (none if @nvms is 0), written page by page on the
 * CPU: reclaim must call @g's shrinker, which evicts the BOs not being
 * touched, bound ones included. Then, with the memory given back, a job
 * of each VM reads a stamp of every BO (restoring what was evicted), and
 * the CPU reads every page back intact. Skips without swap or with
 * kmemleak on (real pressure would switch it off).
 */
void pressure(struct gpu *g, struct tvm *vms, int nvms);

#endif
