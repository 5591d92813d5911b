// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Error state
 *
 * When a job hangs (the scheduler's timeout handler, see "Hang, reset and
 * ban") or faults (drm_gmmu_job_report_fault()), drm_gmmu leaves an error
 * state in a devcoredump of the device: ``/sys/class/devcoredump/devcdN/data``,
 * whose ``failing_device`` link names the GPU. It is text, one
 * ``key: value`` per line, at most %DRM_GMMU_COREDUMP_MAX bytes:
 *
 * - what happened (``kind: hang`` or ``kind: fault``), when, on which
 *   device and driver;
 * - the context: the VM's id, the pid and name of the process that
 *   created it, whether it is banned and its hang counts;
 * - the job: its queue, seqno and batch address, and for a fault the
 *   faulting address, access bits and level;
 * - the VM's fault ring as it was (see "GPU fault records"), with the
 *   counts of faults and of dropped records;
 * - the hardware's registers, from the driver's &drm_gmmu_queue_ops.dump,
 *   which also says which command the hardware stopped at;
 * - the batch around that command, %DRM_GMMU_COREDUMP_WINDOW bytes
 *   before and after it (never before the batch's start), read through
 *   the VM's own translation: the BO mapped at each address, the CPU
 *   reading its pages, as the GPU would have; the failing command's
 *   dwords on a line of their own (``command:``), and addresses with
 *   nothing mapped marked as such.
 *
 * Capture happens in two steps, because both events are on the
 * fence-signalling path, where nothing may allocate with GFP_KERNEL nor
 * take a lock held while waiting for a fence. At the event, a snapshot of
 * fixed size is taken (%GFP_NOWAIT; the registers, the fault ring, the
 * job's identity, a reference on the VM), and a work item does the rest
 * in process context: it reads the batch under the VM's lock, formats
 * the text and hands it to devcoredump. The batch is read then, a moment
 * after the event: a process that rewrites its batch at once may show
 * the new commands.
 *
 * Rate limit: a device holds one error state at a time. While one is
 * being built or sits in devcoredump, new events capture nothing (they
 * are counted in ``gmmu_coredump`` in the device's debugfs directory);
 * the next event after userspace dismissed it (by writing to ``data``),
 * or after devcoredump's own timeout of five minutes, captures again. So
 * a flood of faults costs a flag test each, and the first one is kept.
 *
 * Unplug (drm_gmmu_device_unplug()) stops the capture, waits for the
 * work item and removes the device's error state, so that nothing of a
 * gone device stays behind.
 *
 * Without devcoredump (a kernel built without CONFIG_DEV_COREDUMP, such
 * as the project's debug kernel), the device keeps the error state
 * itself, in debugfs: ``gmmu_error_state`` in the device's directory
 * reads the same text (empty while there is none), and writing anything
 * to it dismisses the state, after which the next event captures again.
 * It has no timeout: the first error state stays until it is read and
 * dismissed, or the device goes.
 */
#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/highmem.h>
#include <linux/kref.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/drm_managed.h>

#include "drm_gmmu_internal.h"

/** DRM_GMMU_COREDUMP_MAX - the largest error state, in bytes */
#define DRM_GMMU_COREDUMP_MAX		SZ_16K
/** DRM_GMMU_COREDUMP_WINDOW - batch bytes shown each side of the command */
#define DRM_GMMU_COREDUMP_WINDOW	128
/* Dwords of the failing command shown on its own line. */
#define DRM_GMMU_COREDUMP_CMD_DW	8

enum drm_gmmu_coredump_kind {
	DRM_GMMU_COREDUMP_HANG,
	DRM_GMMU_COREDUMP_FAULT,
};

/* What is taken at the event, on the fence-signalling path. */
struct drm_gmmu_coredump_snap {
	enum drm_gmmu_coredump_kind kind;
	u64 time_ns;
	struct drm_gmmu_vm *vm;
	u32 vm_id;
	u32 queue_id;
	u64 seqno;
	u64 batch_va;
	u64 cmd_va;
	struct drm_gmmu_fault fault;
	bool banned;
	u32 hangs;
	u32 cancelled;
	struct drm_gmmu_fault ring[DRM_GMMU_FAULT_RING_SIZE];
	unsigned int ring_len;
	u64 faults_total;
	u64 faults_dropped;
	struct drm_gmmu_dump_reg regs[DRM_GMMU_DUMP_MAX_REGS];
	unsigned int nregs;
};

/**
 * struct drm_gmmu_coredump - a device's error-state capture
 * @ref: the device holds one, so does the error state devcoredump holds
 *	(its free callback may run after the device is gone)
 * @gdev: the device; only while @stopped is false
 * @lock: protects @busy, @stopped and @pending
 * @busy: an error state is being built or held by devcoredump
 * @stopped: the device is going: capture nothing more
 * @pending: the snapshot the work item formats next
 * @held: without devcoredump, the error state the device keeps for
 *	debugfs (``gmmu_error_state``) until it is dismissed
 * @work: formats @pending and hands it to devcoredump
 * @captured: error states built
 * @skipped: events that found @busy set (or no memory)
 */
struct drm_gmmu_coredump {
	struct kref ref;
	struct drm_gmmu_device *gdev;
	spinlock_t lock;
	bool busy;
	bool stopped;
	struct drm_gmmu_coredump_snap *pending;
	struct drm_gmmu_coredump_text *held;
	struct work_struct work;
	atomic64_t captured;
	atomic64_t skipped;
};

/* The text devcoredump holds. */
struct drm_gmmu_coredump_text {
	struct drm_gmmu_coredump *cd;
	size_t len;
	char buf[];
};

static void drm_gmmu_coredump_release(struct kref *ref)
{
	kfree(container_of(ref, struct drm_gmmu_coredump, ref));
}

static void drm_gmmu_coredump_idle(struct drm_gmmu_coredump *cd)
{
	unsigned long flags;

	spin_lock_irqsave(&cd->lock, flags);
	cd->busy = false;
	spin_unlock_irqrestore(&cd->lock, flags);
}

static void drm_gmmu_coredump_snap_free(struct drm_gmmu_coredump_snap *s)
{
	drm_gmmu_vm_put(s->vm);
	kfree(s);
}

/*
 * Take the snapshot of an event on @q; @job is the hung or faulting job,
 * @f the fault or NULL.
 */
static void drm_gmmu_coredump_capture(struct drm_gmmu_job *job,
				      enum drm_gmmu_coredump_kind kind,
				      const struct drm_gmmu_fault *f)
{
	struct drm_gmmu_queue *q = job->q;
	struct drm_gmmu_vm *vm = q->vm;
	struct drm_gmmu_coredump *cd = vm->gdev->coredump;
	struct drm_gmmu_fault_ring *r = &vm->faults;
	struct drm_gmmu_coredump_snap *s;
	unsigned long flags;
	unsigned int i;

	if (!cd)
		return;
	spin_lock_irqsave(&cd->lock, flags);
	if (cd->busy || cd->stopped) {
		spin_unlock_irqrestore(&cd->lock, flags);
		atomic64_inc(&cd->skipped);
		return;
	}
	cd->busy = true;
	spin_unlock_irqrestore(&cd->lock, flags);

	s = kzalloc(sizeof(*s), GFP_NOWAIT | __GFP_NOWARN);
	if (!s) {
		atomic64_inc(&cd->skipped);
		drm_gmmu_coredump_idle(cd);
		return;
	}
	s->kind = kind;
	s->time_ns = ktime_get_ns();
	s->vm = drm_gmmu_vm_get(vm);
	s->vm_id = vm->id;
	s->queue_id = q->id;
	s->seqno = job->seqno;
	s->batch_va = job->cmd_addr;
	if (f)
		s->fault = *f;
	s->banned = drm_gmmu_vm_banned(vm);
	s->hangs = atomic_read(&vm->reset.hangs);
	s->cancelled = atomic_read(&vm->reset.cancelled);

	spin_lock_irqsave(&r->lock, flags);
	s->ring_len = r->len;
	for (i = 0; i < r->len; i++)
		s->ring[i] = r->rec[(r->head + i) % DRM_GMMU_FAULT_RING_SIZE];
	s->faults_total = r->total;
	s->faults_dropped = r->dropped;
	spin_unlock_irqrestore(&r->lock, flags);

	if (q->cfg->ops->dump)
		s->nregs = min_t(unsigned int, DRM_GMMU_DUMP_MAX_REGS,
				 q->cfg->ops->dump(q, s->regs, &s->cmd_va));
	if (!s->cmd_va)
		s->cmd_va = s->batch_va;

	spin_lock_irqsave(&cd->lock, flags);
	if (cd->stopped) {
		cd->busy = false;
		spin_unlock_irqrestore(&cd->lock, flags);
		/* The VM has more references than this one: no free here. */
		drm_gmmu_vm_put(s->vm);
		kfree(s);
		return;
	}
	cd->pending = s;
	queue_work(system_unbound_wq, &cd->work);
	spin_unlock_irqrestore(&cd->lock, flags);
}

/**
 * drm_gmmu_coredump_hang - take the error state of a hung job
 * @job: the job the timeout handler found hung, still on the hardware
 *
 * Context: the timeout handler, before the queue's reset.
 */
void drm_gmmu_coredump_hang(struct drm_gmmu_job *job)
{
	drm_gmmu_coredump_capture(job, DRM_GMMU_COREDUMP_HANG, NULL);
}

/**
 * drm_gmmu_coredump_fault - take the error state of a faulting job
 * @job: the job
 * @f: its fault, as recorded in its VM's ring
 *
 * Context: any that may take a spinlock; does not sleep.
 */
void drm_gmmu_coredump_fault(struct drm_gmmu_job *job,
			     const struct drm_gmmu_fault *f)
{
	drm_gmmu_coredump_capture(job, DRM_GMMU_COREDUMP_FAULT, f);
}

/*
 * Read @len bytes at GPU address @va of @vm into @dst, through the VM's
 * mappings: the BO bound there and its pages (a bound BO's pages are all
 * resident and pinned). Return: bytes read before the first address
 * where nothing readable is mapped.
 */
static size_t drm_gmmu_coredump_read(struct drm_gmmu_vm *vm, u64 va,
				     u8 *dst, size_t len)
{
	size_t done = 0;

	mutex_lock(&vm->lock);
	while (!vm->closed && done < len) {
		u64 at = va + done, off;
		struct drm_gpuva *gva;
		struct drm_gmmu_bo *bo;
		struct page *page = NULL;
		size_t chunk;
		void *p;

		gva = drm_gpuva_find_first(&vm->base, at, 1);
		if (!gva || !gva->gem.obj)
			break;
		bo = to_drm_gmmu_bo(gva->gem.obj);
		off = gva->gem.offset + (at - gva->va.addr);
		chunk = min_t(size_t, len - done, PAGE_SIZE - offset_in_page(off));
		dma_resv_lock(bo->base.base.resv, NULL);
		if (!drm_gmmu_bo_is_imported(bo) && bo->pages &&
		    off < bo->base.base.size)
			page = bo->pages[off >> PAGE_SHIFT];
		if (page) {
			p = kmap_local_page(page);
			memcpy(dst + done, p + offset_in_page(off), chunk);
			kunmap_local(p);
		}
		dma_resv_unlock(bo->base.base.resv);
		if (!page)
			break;
		done += chunk;
	}
	mutex_unlock(&vm->lock);
	return done;
}

/* Append to the text, never past its end. */
static __printf(2, 3)
void drm_gmmu_coredump_printf(struct drm_gmmu_coredump_text *t,
			      const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	t->len += vscnprintf(t->buf + t->len, DRM_GMMU_COREDUMP_MAX - t->len,
			     fmt, args);
	va_end(args);
}

static const char *const drm_gmmu_coredump_kinds[] = {
	[DRM_GMMU_COREDUMP_HANG] = "hang",
	[DRM_GMMU_COREDUMP_FAULT] = "fault",
};

static void drm_gmmu_coredump_print_fault(struct drm_gmmu_coredump_text *t,
					  const char *prefix,
					  const struct drm_gmmu_fault *f)
{
	drm_gmmu_coredump_printf(t, "%s va 0x%llx access 0x%x level %u queue %u seqno %llu time_ns %llu\n",
				 prefix, f->va, f->access, f->level,
				 f->queue_id, f->seqno, f->timestamp_ns);
}

/* The batch window: 16 bytes a line, the failing command's line marked. */
static void drm_gmmu_coredump_print_batch(struct drm_gmmu_coredump_text *t,
					  struct drm_gmmu_coredump_snap *s)
{
	u8 win[2 * DRM_GMMU_COREDUMP_WINDOW];
	u64 cmd = s->cmd_va & ~3ull, start, line;
	size_t got, i;
	u32 dw;

	start = cmd > DRM_GMMU_COREDUMP_WINDOW ?
		(cmd - DRM_GMMU_COREDUMP_WINDOW) & ~15ull : 0;
	if (s->batch_va <= cmd && start < (s->batch_va & ~15ull))
		start = s->batch_va & ~15ull;
	got = drm_gmmu_coredump_read(s->vm, start, win, sizeof(win));

	drm_gmmu_coredump_printf(t, "command_va: 0x%llx\n", cmd);
	if (cmd >= start && cmd - start < got) {
		drm_gmmu_coredump_printf(t, "command:");
		for (i = cmd - start; i + 4 <= got &&
		     i < cmd - start + 4 * DRM_GMMU_COREDUMP_CMD_DW; i += 4) {
			memcpy(&dw, win + i, 4);
			drm_gmmu_coredump_printf(t, " %08x", dw);
		}
		drm_gmmu_coredump_printf(t, "\n");
	} else {
		drm_gmmu_coredump_printf(t, "command: unmapped\n");
	}

	drm_gmmu_coredump_printf(t, "batch_window: 0x%llx-0x%llx\n", start,
				 start + sizeof(win));
	for (line = 0; line < sizeof(win); line += 16) {
		bool here = cmd >= start + line && cmd < start + line + 16;

		drm_gmmu_coredump_printf(t, "%c0x%016llx:", here ? '>' : ' ',
					 start + line);
		if (line >= got) {
			drm_gmmu_coredump_printf(t, " unmapped\n");
			break;
		}
		for (i = line; i < line + 16 && i + 4 <= got; i += 4) {
			memcpy(&dw, win + i, 4);
			drm_gmmu_coredump_printf(t, " %08x", dw);
		}
		drm_gmmu_coredump_printf(t, "\n");
	}
}

static ssize_t drm_gmmu_coredump_data_read(char *buffer, loff_t offset,
					   size_t count, void *data,
					   size_t datalen)
{
	struct drm_gmmu_coredump_text *t = data;

	return memory_read_from_buffer(buffer, count, &offset, t->buf, t->len);
}

/* devcoredump is done with the text: the device may capture again. */
static void drm_gmmu_coredump_data_free(void *data)
{
	struct drm_gmmu_coredump_text *t = data;
	struct drm_gmmu_coredump *cd = t->cd;

	vfree(t);
	drm_gmmu_coredump_idle(cd);
	kref_put(&cd->ref, drm_gmmu_coredump_release);
}

static void drm_gmmu_coredump_work(struct work_struct *work)
{
	struct drm_gmmu_coredump *cd =
		container_of(work, struct drm_gmmu_coredump, work);
	struct drm_gmmu_device *gdev = cd->gdev;
	struct drm_gmmu_coredump_snap *s;
	struct drm_gmmu_coredump_text *t;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&cd->lock, flags);
	s = cd->pending;
	cd->pending = NULL;
	spin_unlock_irqrestore(&cd->lock, flags);
	if (!s)
		return;

	t = vzalloc(sizeof(*t) + DRM_GMMU_COREDUMP_MAX);
	if (!t) {
		drm_gmmu_coredump_snap_free(s);
		atomic64_inc(&cd->skipped);
		drm_gmmu_coredump_idle(cd);
		return;
	}
	t->cd = cd;
	drm_gmmu_coredump_printf(t, "drm_gmmu error state\n");
	drm_gmmu_coredump_printf(t, "kind: %s\n", drm_gmmu_coredump_kinds[s->kind]);
	drm_gmmu_coredump_printf(t, "time_ns: %llu\n", s->time_ns);
	drm_gmmu_coredump_printf(t, "driver: %s\n", gdev->drm.driver->name);
	drm_gmmu_coredump_printf(t, "device: %s\n", dev_name(gdev->drm.dev));
	drm_gmmu_coredump_printf(t, "vm: %u\n", s->vm_id);
	drm_gmmu_coredump_printf(t, "pid: %d\n", s->vm->pid);
	drm_gmmu_coredump_printf(t, "comm: %s\n", s->vm->comm);
	drm_gmmu_coredump_printf(t, "queue: %u\n", s->queue_id);
	drm_gmmu_coredump_printf(t, "seqno: %llu\n", s->seqno);
	drm_gmmu_coredump_printf(t, "batch_va: 0x%llx\n", s->batch_va);
	if (s->kind == DRM_GMMU_COREDUMP_FAULT) {
		drm_gmmu_coredump_printf(t, "fault_va: 0x%llx\n", s->fault.va);
		drm_gmmu_coredump_printf(t, "fault_access: 0x%x\n", s->fault.access);
		drm_gmmu_coredump_printf(t, "fault_level: %u\n", s->fault.level);
	}
	drm_gmmu_coredump_printf(t, "banned: %u\n", s->banned);
	drm_gmmu_coredump_printf(t, "hangs: %u\n", s->hangs);
	drm_gmmu_coredump_printf(t, "cancelled: %u\n", s->cancelled);
	drm_gmmu_coredump_printf(t, "faults_total: %llu\n", s->faults_total);
	drm_gmmu_coredump_printf(t, "faults_dropped: %llu\n", s->faults_dropped);
	drm_gmmu_coredump_printf(t, "fault_ring: %u\n", s->ring_len);
	for (i = 0; i < s->ring_len; i++)
		drm_gmmu_coredump_print_fault(t, " fault", &s->ring[i]);
	drm_gmmu_coredump_printf(t, "registers: %u\n", s->nregs);
	for (i = 0; i < s->nregs; i++)
		drm_gmmu_coredump_printf(t, " %s: 0x%llx\n", s->regs[i].name,
					 s->regs[i].value);
	drm_gmmu_coredump_print_batch(t, s);
	drm_gmmu_coredump_printf(t, "end\n");
	drm_gmmu_coredump_snap_free(s);

	atomic64_inc(&cd->captured);
	/* The text's reference, dropped by its free callback. */
	kref_get(&cd->ref);
	if (IS_ENABLED(CONFIG_DEV_COREDUMP)) {
		dev_coredumpm(gdev->drm.dev, THIS_MODULE, t, t->len, GFP_KERNEL,
			      drm_gmmu_coredump_data_read,
			      drm_gmmu_coredump_data_free);
		return;
	}
	spin_lock_irqsave(&cd->lock, flags);
	if (!cd->stopped) {
		cd->held = t;
		t = NULL;
	}
	spin_unlock_irqrestore(&cd->lock, flags);
	if (t)
		drm_gmmu_coredump_data_free(t);
}

/* Without devcoredump: dismiss the error state the device keeps. */
static void drm_gmmu_coredump_dismiss(struct drm_gmmu_coredump *cd)
{
	struct drm_gmmu_coredump_text *t;
	unsigned long flags;

	spin_lock_irqsave(&cd->lock, flags);
	t = cd->held;
	cd->held = NULL;
	spin_unlock_irqrestore(&cd->lock, flags);
	if (t)
		drm_gmmu_coredump_data_free(t);
}

/* Capture nothing more; wait for the work item, drop what it had. */
static void drm_gmmu_coredump_stop(struct drm_gmmu_coredump *cd)
{
	struct drm_gmmu_coredump_snap *s;
	unsigned long flags;

	spin_lock_irqsave(&cd->lock, flags);
	cd->stopped = true;
	spin_unlock_irqrestore(&cd->lock, flags);
	cancel_work_sync(&cd->work);
	spin_lock_irqsave(&cd->lock, flags);
	s = cd->pending;
	cd->pending = NULL;
	spin_unlock_irqrestore(&cd->lock, flags);
	if (s)
		drm_gmmu_coredump_snap_free(s);
	drm_gmmu_coredump_dismiss(cd);
}

/*
 * The DRM device goes: for a driver that never called
 * drm_gmmu_device_unplug() (a failed probe), its error state goes too,
 * while the device it names is still there.
 */
static void drm_gmmu_coredump_fini(struct drm_device *drm, void *data)
{
	struct drm_gmmu_coredump *cd = data;

	drm_gmmu_coredump_stop(cd);
	dev_coredump_put(drm->dev);
	kref_put(&cd->ref, drm_gmmu_coredump_release);
}

/**
 * drm_gmmu_coredump_init - set up a device's error-state capture
 * @gdev: the device, from drm_gmmu_device_init()
 *
 * Return: 0 or -ENOMEM.
 */
int drm_gmmu_coredump_init(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_coredump *cd;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	kref_init(&cd->ref);
	cd->gdev = gdev;
	spin_lock_init(&cd->lock);
	INIT_WORK(&cd->work, drm_gmmu_coredump_work);
	gdev->coredump = cd;
	return drmm_add_action_or_reset(&gdev->drm, drm_gmmu_coredump_fini, cd);
}

/**
 * drm_gmmu_coredump_unplug - the device goes: no more error states
 * @gdev: the device, in drm_gmmu_device_unplug()
 *
 * Context: process context; waits for the work item.
 */
void drm_gmmu_coredump_unplug(struct drm_gmmu_device *gdev)
{
	if (!gdev->coredump)
		return;
	drm_gmmu_coredump_stop(gdev->coredump);
	dev_coredump_put(gdev->drm.dev);
}

static int drm_gmmu_coredump_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_coredump *cd = m->private;

	seq_printf(m, "captured: %lld\n", atomic64_read(&cd->captured));
	seq_printf(m, "skipped: %lld\n", atomic64_read(&cd->skipped));
	seq_printf(m, "busy: %u\n", data_race(cd->busy));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(drm_gmmu_coredump);

static int drm_gmmu_error_state_show(struct seq_file *m, void *unused)
{
	struct drm_gmmu_coredump *cd = m->private;
	unsigned long flags;

	/* The buffer fits the largest state: seq_write() never fails here. */
	spin_lock_irqsave(&cd->lock, flags);
	if (cd->held)
		seq_write(m, cd->held->buf, cd->held->len);
	spin_unlock_irqrestore(&cd->lock, flags);
	return 0;
}

static int drm_gmmu_error_state_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, drm_gmmu_error_state_show,
				inode->i_private, DRM_GMMU_COREDUMP_MAX + 1);
}

static ssize_t drm_gmmu_error_state_write(struct file *file,
					  const char __user *ubuf, size_t len,
					  loff_t *pos)
{
	struct seq_file *m = file->private_data;

	drm_gmmu_coredump_dismiss(m->private);
	return len;
}

static const struct file_operations drm_gmmu_error_state_fops = {
	.owner = THIS_MODULE,
	.open = drm_gmmu_error_state_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = drm_gmmu_error_state_write,
};

/**
 * drm_gmmu_coredump_debugfs_init - add ``gmmu_coredump`` (and, without
 *	devcoredump, ``gmmu_error_state``) to a device's debugfs
 * @gdev: the device
 * @root: its debugfs directory
 */
void drm_gmmu_coredump_debugfs_init(struct drm_gmmu_device *gdev,
				    struct dentry *root)
{
	if (!gdev->coredump)
		return;
	debugfs_create_file("gmmu_coredump", 0444, root, gdev->coredump,
			    &drm_gmmu_coredump_fops);
	if (!IS_ENABLED(CONFIG_DEV_COREDUMP))
		debugfs_create_file("gmmu_error_state", 0600, root,
				    gdev->coredump,
				    &drm_gmmu_error_state_fops);
}
