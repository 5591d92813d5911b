// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Slot manager self-test
 *
 * KTAP self-test of the address-space slot manager (drm_gmmu_slots.c) on
 * a fake backend: its "hardware" only logs each bind and flush, so the
 * test sees which slot each context got, in what order the slots were
 * taken, and that a slot changing owner was flushed first. It covers LRU
 * order (free slots first, then the one idle longest), that only an idle
 * context's slot is taken, that a context keeps its slot while it has a
 * job on the hardware, that a job waits while every slot is busy and runs
 * when one is released, the slot count knob, per-slot flushes and a
 * context leaving its slot.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

#include <drm/drm_gmmu_slots.h>

#define NTESTS 8

/* How long a waiter that must stay blocked is given to go ahead anyway. */
#define BLOCKED_MS 100
#define WAIT_MS 10000

static unsigned int test_nr;

/* One KTAP result line; the module needs no device, so no fixture. */
static void report(bool ok, const char *name)
{
	pr_info("%sok %u %s\n", ok ? "" : "not ", ++test_nr, name);
}

enum st_op { ST_BIND, ST_CLEAR, ST_FLUSH };

struct st_event {
	enum st_op op;
	unsigned int slot;
	struct drm_gmmu_slot_ctx *ctx;
};

#define MAX_EVENTS 64

static struct st_event events[MAX_EVENTS];
static unsigned int nr_events;

static void st_log(enum st_op op, unsigned int slot,
		   struct drm_gmmu_slot_ctx *ctx)
{
	if (nr_events < MAX_EVENTS)
		events[nr_events] = (struct st_event){ op, slot, ctx };
	nr_events++;
}

static void st_bind(struct drm_gmmu_slots *s, unsigned int slot,
		    struct drm_gmmu_slot_ctx *ctx)
{
	st_log(ctx ? ST_BIND : ST_CLEAR, slot, ctx);
}

static void st_flush(struct drm_gmmu_slots *s, unsigned int slot)
{
	st_log(ST_FLUSH, slot, NULL);
}

static const struct drm_gmmu_slots_ops st_ops = {
	.bind = st_bind,
	.flush = st_flush,
};

static bool st_event_is(unsigned int i, enum st_op op, unsigned int slot,
			struct drm_gmmu_slot_ctx *ctx)
{
	return i < nr_events && events[i].op == op && events[i].slot == slot &&
	       events[i].ctx == ctx;
}

static void st_setup(struct drm_gmmu_slots *s, unsigned int n,
		     struct drm_gmmu_slot_ctx *ctx, unsigned int nctx)
{
	unsigned int i;

	drm_gmmu_slots_init(s, n, &st_ops, NULL);
	for (i = 0; i < nctx; i++)
		drm_gmmu_slot_ctx_init(&ctx[i], s);
	nr_events = 0;
}

static void st_teardown(struct drm_gmmu_slot_ctx *ctx, unsigned int nctx)
{
	unsigned int i;

	for (i = 0; i < nctx; i++)
		drm_gmmu_slot_ctx_fini(&ctx[i]);
}

/* One job of @ctx runs and completes; returns its slot. */
static unsigned int st_run_one(struct drm_gmmu_slot_ctx *ctx)
{
	unsigned int slot = drm_gmmu_slot_acquire(ctx);

	drm_gmmu_slot_release(ctx);
	return slot;
}

/* Free slots go first, in order, and need no flush. */
static bool test_free_first(void)
{
	struct drm_gmmu_slot_ctx c[3];
	struct drm_gmmu_slots s;
	bool ok;

	st_setup(&s, 3, c, 3);
	ok = st_run_one(&c[0]) == 0 && st_run_one(&c[1]) == 1 &&
	     st_run_one(&c[2]) == 2;
	ok = ok && nr_events == 3 && st_event_is(0, ST_BIND, 0, &c[0]) &&
	     st_event_is(1, ST_BIND, 1, &c[1]) &&
	     st_event_is(2, ST_BIND, 2, &c[2]) && s.steals == 0 &&
	     s.binds == 3;
	/* Bound already: no programming again. */
	ok = ok && st_run_one(&c[1]) == 1 && nr_events == 3 && s.binds == 3;
	st_teardown(c, 3);
	return ok;
}

/* With every slot bound, the one idle longest is taken, flushed first. */
static bool test_lru_order(void)
{
	struct drm_gmmu_slot_ctx c[5];
	struct drm_gmmu_slots s;
	bool ok;

	st_setup(&s, 3, c, 5);
	st_run_one(&c[0]);
	st_run_one(&c[1]);
	st_run_one(&c[2]);
	/* c0 ran again: c1 is now the least recently used. */
	st_run_one(&c[0]);
	nr_events = 0;
	ok = st_run_one(&c[3]) == 1 && c[1].slot == -1 && c[3].slot == 1;
	ok = ok && nr_events == 2 && st_event_is(0, ST_FLUSH, 1, NULL) &&
	     st_event_is(1, ST_BIND, 1, &c[3]);
	/* Then c2's, then c0's. */
	ok = ok && st_run_one(&c[4]) == 2 && st_run_one(&c[1]) == 0;
	ok = ok && s.steals == 3 && s.slot[1].steals == 1 && c[0].slot == -1;
	st_teardown(c, 5);
	return ok;
}

/* A context with a job on the hardware keeps its slot; others cannot take it. */
static bool test_hold_while_busy(void)
{
	struct drm_gmmu_slot_ctx c[3];
	struct drm_gmmu_slots s;
	unsigned int a, b, slot;
	bool ok;

	st_setup(&s, 2, c, 3);
	a = drm_gmmu_slot_acquire(&c[0]);
	b = drm_gmmu_slot_acquire(&c[1]);
	/* Both busy: c2 gets nothing, and nothing is taken from them. */
	ok = a == 0 && b == 1 && !drm_gmmu_slot_try_acquire(&c[2], &slot) &&
	     c[0].slot == 0 && c[1].slot == 1 && c[2].slot == -1 &&
	     s.steals == 0;
	/* A second job of c0 shares its slot. */
	ok = ok && drm_gmmu_slot_try_acquire(&c[0], &slot) && slot == 0 &&
	     c[0].busy == 2;
	drm_gmmu_slot_release(&c[0]);
	ok = ok && !drm_gmmu_slot_try_acquire(&c[2], &slot);
	/* c0's last job done: its slot is the idle one, and goes to c2. */
	drm_gmmu_slot_release(&c[0]);
	ok = ok && drm_gmmu_slot_try_acquire(&c[2], &slot) && slot == 0 &&
	     c[0].slot == -1 && c[1].slot == 1 && s.steals == 1;
	drm_gmmu_slot_release(&c[2]);
	drm_gmmu_slot_release(&c[1]);
	st_teardown(c, 3);
	return ok;
}

struct st_waiter {
	struct drm_gmmu_slot_ctx *ctx;
	unsigned int slot;
	struct completion done;
};

static int st_waiter_fn(void *arg)
{
	struct st_waiter *w = arg;

	w->slot = drm_gmmu_slot_acquire(w->ctx);
	complete(&w->done);
	return 0;
}

/* Every slot busy: a job waits, and runs once a slot is released. */
static bool test_wait_all_busy(void)
{
	struct drm_gmmu_slot_ctx c[2];
	struct st_waiter w = { .ctx = &c[1], .slot = ~0U };
	struct drm_gmmu_slots s;
	struct task_struct *t;
	bool ok, blocked;

	st_setup(&s, 1, c, 2);
	drm_gmmu_slot_acquire(&c[0]);
	init_completion(&w.done);
	t = kthread_run(st_waiter_fn, &w, "gmmu-slot-st");
	if (IS_ERR(t)) {
		drm_gmmu_slot_release(&c[0]);
		st_teardown(c, 2);
		return false;
	}
	blocked = !wait_for_completion_timeout(&w.done,
					       msecs_to_jiffies(BLOCKED_MS));
	ok = blocked && s.waits == 1 && c[0].slot == 0 && c[1].slot == -1;
	drm_gmmu_slot_release(&c[0]);
	if (!wait_for_completion_timeout(&w.done, msecs_to_jiffies(WAIT_MS))) {
		/* Never left hanging: a slot the waiter can have. */
		drm_gmmu_slots_set_count(&s, 1);
		wait_for_completion(&w.done);
		ok = false;
	}
	ok = ok && w.slot == 0 && c[1].slot == 0 && c[0].slot == -1 &&
	     s.steals == 1;
	drm_gmmu_slot_release(&c[1]);
	st_teardown(c, 2);
	return ok;
}

/* A context that goes leaves its slot flushed, cleared, and first to take. */
static bool test_ctx_fini(void)
{
	struct drm_gmmu_slot_ctx c[3];
	struct drm_gmmu_slots s;
	bool ok;

	st_setup(&s, 2, c, 3);
	st_run_one(&c[0]);
	st_run_one(&c[1]);
	nr_events = 0;
	drm_gmmu_slot_ctx_fini(&c[1]);
	ok = nr_events == 2 && st_event_is(0, ST_FLUSH, 1, NULL) &&
	     st_event_is(1, ST_CLEAR, 1, NULL) && c[1].slot == -1;
	/* Slot 1 is free now: c2 takes it rather than c0's. */
	ok = ok && st_run_one(&c[2]) == 1 && c[0].slot == 0 && s.steals == 0;
	st_teardown(c, 3);
	return ok;
}

/* The count knob: refused while a slot is held, else every slot is cleared. */
static bool test_set_count(void)
{
	struct drm_gmmu_slot_ctx c[2];
	struct drm_gmmu_slots s;
	bool ok;

	st_setup(&s, 4, c, 2);
	drm_gmmu_slot_acquire(&c[0]);
	ok = drm_gmmu_slots_set_count(&s, 1) == -EBUSY &&
	     drm_gmmu_slots_set_count(&s, 0) == -EINVAL &&
	     drm_gmmu_slots_set_count(&s, 5) == -EINVAL;
	drm_gmmu_slot_release(&c[0]);
	ok = ok && drm_gmmu_slots_set_count(&s, 1) == 0 && c[0].slot == -1 &&
	     s.count == 1;
	/* One slot now: the two contexts take turns in slot 0. */
	ok = ok && st_run_one(&c[0]) == 0 && st_run_one(&c[1]) == 0 &&
	     c[0].slot == -1 && s.steals == 1;
	ok = ok && drm_gmmu_slots_set_count(&s, 4) == 0 && s.count == 4;
	st_teardown(c, 2);
	return ok;
}

/* Per-slot invalidation: the context's slot is flushed, if it has one. */
static bool test_ctx_flush(void)
{
	struct drm_gmmu_slot_ctx c[2];
	struct drm_gmmu_slots s;
	bool ok;

	st_setup(&s, 2, c, 2);
	st_run_one(&c[1]);
	nr_events = 0;
	ok = !drm_gmmu_slot_ctx_flush(&c[0]) && nr_events == 0 &&
	     drm_gmmu_slot_ctx_flush(&c[1]) && nr_events == 1 &&
	     st_event_is(0, ST_FLUSH, 0, NULL);
	st_teardown(c, 2);
	return ok;
}

/* Many contexts, few slots: no two bound to one slot, ever. */
static bool test_exclusive(void)
{
	struct drm_gmmu_slot_ctx c[16];
	struct drm_gmmu_slots s;
	unsigned int i, j, round;
	bool ok = true;

	st_setup(&s, 4, c, 16);
	for (round = 0; round < 8 && ok; round++) {
		for (i = 0; i < 16; i++)
			st_run_one(&c[(i * 7 + round) % 16]);
		for (i = 0; i < 16; i++)
			for (j = i + 1; j < 16; j++)
				if (c[i].slot >= 0 && c[i].slot == c[j].slot)
					ok = false;
		for (i = 0; i < s.count; i++)
			if (s.slot[i].owner && s.slot[i].owner->slot != i)
				ok = false;
	}
	ok = ok && s.acquires == 8 * 16 && s.steals == s.binds - 4;
	st_teardown(c, 16);
	return ok;
}

static int __init drm_gmmu_slots_selftest_init(void)
{
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", NTESTS);
	report(test_free_first(), "slots_free_first");
	report(test_lru_order(), "slots_lru_order");
	report(test_hold_while_busy(), "slots_hold_while_busy");
	report(test_wait_all_busy(), "slots_wait_all_busy");
	report(test_ctx_fini(), "slots_ctx_fini");
	report(test_set_count(), "slots_set_count");
	report(test_ctx_flush(), "slots_ctx_flush");
	report(test_exclusive(), "slots_exclusive");
	return 0;
}

static void __exit drm_gmmu_slots_selftest_exit(void)
{
}

module_init(drm_gmmu_slots_selftest_init);
module_exit(drm_gmmu_slots_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu's address-space slot manager");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
