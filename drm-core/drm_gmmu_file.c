// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Per-file state
 *
 * Everything a DRM file owns through drm_gmmu lives in its
 * &struct drm_gmmu_file, so that closing the file releases it whatever
 * userspace left behind, and so that one file can never reach or release
 * what another owns.
 *
 * **VMs by id.** A file's VMs are numbered from 1; id 0 never names a VM,
 * so a zeroed argument struct can never reach one. A file has at most
 * %DRM_GMMU_MAX_VMS_PER_FILE VMs: creation reserves an id first
 * (drm_gmmu_file_vm_reserve(), -ENOSPC past the limit), before anything
 * costly is built, then publishes the VM under it. A lookup
 * (drm_gmmu_file_vm_get()) returns a reference, so a VM stays valid for
 * the ioctl that found it even if another thread destroys its id
 * meanwhile; destroying the id (drm_gmmu_file_vm_destroy()) removes it
 * first, so no new lookup finds it, then drains and destroys its queues,
 * lets the driver make the hardware forget it (&drm_gmmu_vm_cfg.quiesce),
 * closes it and drops the file's reference. The VM's memory goes with the last
 * reference, which an ioctl still running on it may hold.
 *
 * **CPU-access brackets.** A bracket that userspace opens through a
 * driver's CPU-access ioctl (drm_gmmu_file_cpu_access()) belongs to the
 * file: only that file can close it, by naming the same BO and range, and
 * the brackets it leaves open are closed when it closes, which unpins
 * their pages. A file has at most %DRM_GMMU_MAX_CPU_ACCESS_PER_FILE open.
 * Brackets through DMA_BUF_IOCTL_SYNC are the dma-buf's, as the dma-buf
 * uapi defines them, and are counted on the BO.
 */
#include <linux/export.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gmmu.h>
#include <drm/drm_gmmu_file.h>
#include <drm/drm_gmmu_queue.h>
#include <drm/gmmu_drm.h>

#include "drm_gmmu_internal.h"

/* One bracket a file has open: its own reference keeps the BO. */
struct drm_gmmu_cpu_bracket {
	struct list_head link;
	struct drm_gmmu_bo *bo;
	u64 offset;
	u64 size;
	u32 flags;
};

/**
 * drm_gmmu_file_init - set up the drm_gmmu state of a new DRM file
 * @gfile: the state, embedded in the driver's per-file structure
 * @gdev: the device the file was opened on
 * @file: the DRM file
 */
void drm_gmmu_file_init(struct drm_gmmu_file *gfile,
			struct drm_gmmu_device *gdev, struct drm_file *file)
{
	gfile->gdev = gdev;
	gfile->file = file;
	xa_init_flags(&gfile->vms, XA_FLAGS_ALLOC1);
	mutex_init(&gfile->cpu_access_lock);
	INIT_LIST_HEAD(&gfile->cpu_access);
	gfile->cpu_access_count = 0;
	drm_gmmu_busy_init(&gfile->busy);
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_init);

/**
 * drm_gmmu_file_open - &drm_driver.open for a driver whose per-file state
 *	is drm_gmmu's alone
 * @drm: the device the file is opened on, a &drm_gmmu_device.drm
 * @file: the new file; its driver_priv becomes a &struct drm_gmmu_file
 *	(to_drm_gmmu_file()), which the shared ioctls need
 *
 * %DRM_GMMU_DRIVER_OPS sets it. A driver with more per-file state embeds
 * &struct drm_gmmu_file and calls drm_gmmu_file_init() itself.
 *
 * Return: 0 or -ENOMEM.
 */
int drm_gmmu_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct drm_gmmu_file *gfile = kzalloc(sizeof(*gfile), GFP_KERNEL);

	if (!gfile)
		return -ENOMEM;
	drm_gmmu_file_init(gfile, to_drm_gmmu_device(drm), file);
	file->driver_priv = gfile;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_open);

/**
 * drm_gmmu_driver_postclose - &drm_driver.postclose to pair with
 *	drm_gmmu_file_open()
 * @drm: the device
 * @file: the closing file
 */
void drm_gmmu_driver_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct drm_gmmu_file *gfile = file->driver_priv;

	drm_gmmu_file_fini(gfile);
	kfree(gfile);
}
EXPORT_SYMBOL_GPL(drm_gmmu_driver_postclose);

/* Close a bracket that is off the file's list; drops its reference. */
static int drm_gmmu_cpu_bracket_end(struct drm_gmmu_cpu_bracket *b, u32 flags)
{
	int ret;

	ret = drm_gmmu_bo_cpu_access(b->bo, DRM_GMMU_CPU_ACCESS_END |
				     (flags & ~DRM_GMMU_CPU_ACCESS_START),
				     b->offset, b->size);
	if (ret)
		return ret;
	drm_gem_object_put(&b->bo->base.base);
	kfree(b);
	return 0;
}

/**
 * drm_gmmu_file_fini - release everything a closing file still owns
 * @gfile: the file's state
 *
 * Closes the CPU-access brackets the file left open (their pages are
 * unpinned; a bracket opened for writing marks its range CPU-written, as
 * its END would have), then destroys every VM the file still has, as
 * drm_gmmu_file_vm_destroy() does.
 *
 * Context: process context (&drm_driver.postclose).
 */
void drm_gmmu_file_fini(struct drm_gmmu_file *gfile)
{
	struct drm_gmmu_cpu_bracket *b, *next;
	struct drm_gmmu_vm *vm;
	unsigned long id;

	/* No ioctl of the file runs any more: no lock is needed. */
	list_for_each_entry_safe(b, next, &gfile->cpu_access, link) {
		list_del(&b->link);
		/*
		 * Cannot fail: the bracket's range is pinned by its START,
		 * and only its END unpins it. Were it to, the BO is still
		 * let go of.
		 */
		if (WARN_ON(drm_gmmu_cpu_bracket_end(b, b->flags))) {
			drm_gem_object_put(&b->bo->base.base);
			kfree(b);
		}
	}
	xa_for_each(&gfile->vms, id, vm)
		drm_gmmu_file_vm_destroy(gfile, id);
	xa_destroy(&gfile->vms);
	mutex_destroy(&gfile->cpu_access_lock);
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_fini);

/**
 * drm_gmmu_file_vm_reserve - reserve the id of a VM about to be created
 * @gfile: the file
 * @id: out, the id, never 0
 *
 * Checks the file's VM limit before the driver builds anything. The id is
 * then drm_gmmu_file_vm_publish()ed or drm_gmmu_file_vm_unreserve()d;
 * until then lookups and destroys do not see it.
 *
 * Return: 0; -ENOSPC if the file has %DRM_GMMU_MAX_VMS_PER_FILE VMs;
 * -ENOMEM.
 */
int drm_gmmu_file_vm_reserve(struct drm_gmmu_file *gfile, u32 *id)
{
	int ret;

	ret = xa_alloc(&gfile->vms, id, NULL,
		       XA_LIMIT(1, DRM_GMMU_MAX_VMS_PER_FILE), GFP_KERNEL);
	/* xa_alloc() says -EBUSY when the range is full. */
	return ret == -EBUSY ? -ENOSPC : ret;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_reserve);

/**
 * drm_gmmu_file_vm_unreserve - give back an id whose VM was not created
 * @gfile: the file
 * @id: from drm_gmmu_file_vm_reserve()
 */
void drm_gmmu_file_vm_unreserve(struct drm_gmmu_file *gfile, u32 id)
{
	xa_release(&gfile->vms, id);
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_unreserve);

/**
 * drm_gmmu_file_vm_publish - make a new VM reachable under its id
 * @gfile: the file
 * @id: from drm_gmmu_file_vm_reserve()
 * @vm: the VM; the file takes over the caller's reference
 *
 * Cannot fail: the slot was allocated by the reservation, and nothing but
 * this call fills or removes a reserved id.
 */
void drm_gmmu_file_vm_publish(struct drm_gmmu_file *gfile, u32 id,
			      struct drm_gmmu_vm *vm)
{
	void *old;

	vm->id = id;
	vm->pinned = &gfile->pinned;
	old = xa_store(&gfile->vms, id, vm, GFP_KERNEL);
	WARN_ON(old);
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_publish);

/**
 * drm_gmmu_file_vm_get - find a VM of a file by id
 * @gfile: the file
 * @id: the id userspace gave
 *
 * Return: the VM with a reference (drm_gmmu_vm_put() it), or NULL for id
 * 0, an id the file does not have, or one not published yet.
 */
struct drm_gmmu_vm *drm_gmmu_file_vm_get(struct drm_gmmu_file *gfile, u32 id)
{
	struct drm_gmmu_vm *vm;

	if (!id)
		return NULL;
	xa_lock(&gfile->vms);
	vm = xa_load(&gfile->vms, id);
	if (vm)
		drm_gmmu_vm_get(vm);
	xa_unlock(&gfile->vms);
	return vm;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_get);

/**
 * drm_gmmu_file_vm_destroy - destroy a VM's id and everything it runs
 * @gfile: the file
 * @id: the VM's id
 *
 * Removes the id, so no lookup finds the VM any more, drains and destroys
 * its queues (drm_gmmu_vm_close_queues()), calls its
 * &drm_gmmu_vm_cfg.quiesce, closes it (drm_gmmu_vm_close(): every mapping
 * goes, the tables are freed) and drops the file's reference.
 *
 * Context: process context; may sleep until the VM's jobs are done.
 * Return: 0, or -ENOENT for id 0 or an id the file does not have.
 */
int drm_gmmu_file_vm_destroy(struct drm_gmmu_file *gfile, u32 id)
{
	struct drm_gmmu_vm *vm;

	if (!id)
		return -ENOENT;
	might_sleep();
	/* A reserved id is not a VM yet: leave it to its creator. */
	xa_lock(&gfile->vms);
	vm = xa_load(&gfile->vms, id);
	if (vm)
		__xa_erase(&gfile->vms, id);
	xa_unlock(&gfile->vms);
	if (!vm)
		return -ENOENT;
	drm_gmmu_vm_close_queues(vm);
	/* No job of it is left: its address-space slot goes. */
	drm_gmmu_slot_ctx_fini(&vm->slot);
	if (vm->quiesce)
		vm->quiesce(vm);
	drm_gmmu_vm_close(vm);
	drm_gmmu_vm_put(vm);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_vm_destroy);

/* The file's open bracket on exactly this BO and range, unlinked. */
static struct drm_gmmu_cpu_bracket *
drm_gmmu_file_bracket_take(struct drm_gmmu_file *gfile, struct drm_gmmu_bo *bo,
			   u64 offset, u64 size)
{
	struct drm_gmmu_cpu_bracket *b;

	mutex_lock(&gfile->cpu_access_lock);
	list_for_each_entry(b, &gfile->cpu_access, link) {
		if (b->bo == bo && b->offset == offset && b->size == size) {
			list_del(&b->link);
			gfile->cpu_access_count--;
			mutex_unlock(&gfile->cpu_access_lock);
			return b;
		}
	}
	mutex_unlock(&gfile->cpu_access_lock);
	return NULL;
}

static void drm_gmmu_file_bracket_put_back(struct drm_gmmu_file *gfile,
					   struct drm_gmmu_cpu_bracket *b)
{
	mutex_lock(&gfile->cpu_access_lock);
	list_add(&b->link, &gfile->cpu_access);
	gfile->cpu_access_count++;
	mutex_unlock(&gfile->cpu_access_lock);
}

/**
 * drm_gmmu_file_cpu_access - open or close a CPU-access bracket of a file
 * @gfile: the file asking
 * @handle: a GEM handle of a drm_gmmu BO, in @gfile's file
 * @flags: as for drm_gmmu_bo_cpu_access()
 * @offset: first byte of the range
 * @size: bytes
 *
 * What a driver's CPU-access ioctl does once it has checked its own
 * fields (extensions, padding) and translated its flags. A START opens a
 * bracket that belongs to @gfile; an END closes the file's bracket on the
 * same BO and range (with its own READ/WRITE bits, which say whether the
 * range was written). Flags are checked before the handle, so that bad
 * flags are -EINVAL whatever the handle is.
 *
 * Return: as drm_gmmu_bo_cpu_access(); -ENOENT for an unknown handle;
 * -EINVAL for an END that matches no bracket of this file; -ENOSPC for a
 * START past %DRM_GMMU_MAX_CPU_ACCESS_PER_FILE open brackets; -ENOMEM.
 */
int drm_gmmu_file_cpu_access(struct drm_gmmu_file *gfile, u32 handle,
			     u32 flags, u64 offset, u64 size)
{
	struct drm_gmmu_cpu_bracket *b;
	struct drm_gem_object *obj;
	struct drm_gmmu_bo *bo;
	int ret;

	if (!drm_gmmu_cpu_access_flags_valid(flags))
		return -EINVAL;
	obj = drm_gem_object_lookup(gfile->file, handle);
	if (!obj)
		return -ENOENT;
	bo = to_drm_gmmu_bo(obj);

	if (flags & DRM_GMMU_CPU_ACCESS_END) {
		b = drm_gmmu_file_bracket_take(gfile, bo, offset, size);
		if (!b) {
			ret = -EINVAL;
		} else {
			ret = drm_gmmu_cpu_bracket_end(b, flags);
			if (ret)
				drm_gmmu_file_bracket_put_back(gfile, b);
		}
		drm_gem_object_put(obj);
		return ret;
	}

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		drm_gem_object_put(obj);
		return -ENOMEM;
	}
	/* Count the bracket before it exists, so the limit is never passed. */
	ret = 0;
	mutex_lock(&gfile->cpu_access_lock);
	if (gfile->cpu_access_count >= DRM_GMMU_MAX_CPU_ACCESS_PER_FILE)
		ret = -ENOSPC;
	else
		gfile->cpu_access_count++;
	mutex_unlock(&gfile->cpu_access_lock);
	if (ret) {
		kfree(b);
		drm_gem_object_put(obj);
		return ret;
	}

	ret = drm_gmmu_bo_cpu_access(bo, flags, offset, size);
	if (ret) {
		mutex_lock(&gfile->cpu_access_lock);
		gfile->cpu_access_count--;
		mutex_unlock(&gfile->cpu_access_lock);
		kfree(b);
		drm_gem_object_put(obj);
		return ret;
	}
	/* The bracket keeps the lookup's reference. */
	b->bo = bo;
	b->offset = offset;
	b->size = size;
	b->flags = flags;
	mutex_lock(&gfile->cpu_access_lock);
	list_add(&b->link, &gfile->cpu_access);
	mutex_unlock(&gfile->cpu_access_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_gmmu_file_cpu_access);
