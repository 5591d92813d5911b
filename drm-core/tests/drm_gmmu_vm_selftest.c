// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: VM self-test
 *
 * KTAP self-test of drm_gmmu VMs without a driver: a platform device (never
 * behind VT-d, so DMA addresses are physical), VMs with a TLB that only
 * counts, and checks of the level-2 tables through iommu_iova_to_phys().
 * It proves what userspace cannot see: a failed bind leaves the VM as it
 * was, and a BO leaves a VM only after the TLB invalidation.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iommu_ctx.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>

#include "gmmu_selftest_dev.h"

#define NTESTS 10
#define VA0 0x200000ull

static const struct drm_driver selftest_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA,
	.name = "drm_gmmu_vm_selftest",
	.desc = "drm_gmmu VM self-test",
};

/* The GPU of this test: a TLB that remembers who watched it flush. */
struct test_vm {
	struct drm_gmmu_vm gvm;
	unsigned int flushes;
	struct drm_gmmu_bo *watch;
	bool watch_mapped;
};

static void test_flush_all(void *cookie)
{
	struct test_vm *t = cookie;

	t->flushes++;
}

static void test_flush_range(unsigned long iova, size_t size, size_t granule,
			     void *cookie)
{
	struct test_vm *t = cookie;

	t->flushes++;
	/* Is the BO still linked to the VM (through its drm_gpuvm_bo)? */
	if (t->watch)
		t->watch_mapped = !list_empty(&t->watch->base.base.gpuva.list);
}

static const struct iommu_ctx_tlb_ops test_tlb = {
	.flush_all = test_flush_all,
	.flush_range = test_flush_range,
};

static void test_vm_free(struct drm_gmmu_vm *gvm)
{
	kfree(container_of(gvm, struct test_vm, gvm));
}

static struct test_vm *test_vm_create(struct drm_gmmu_device *gdev)
{
	struct drm_gmmu_vm_cfg cfg = {
		.format = "x86-48",
		.va_bits = 48,
		.va_start = SZ_64K,
		.coherent = true,
		.tlb = &test_tlb,
		.free = test_vm_free,
	};
	struct test_vm *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	cfg.tlb_cookie = t;
	if (drm_gmmu_vm_init(&t->gvm, gdev, "selftest", &cfg)) {
		kfree(t);
		return NULL;
	}
	return t;
}

static void test_vm_destroy(struct test_vm *t)
{
	drm_gmmu_vm_close(&t->gvm);
	drm_gmmu_vm_put(&t->gvm);
}

static unsigned int count_vas(struct drm_gmmu_vm *vm)
{
	struct drm_gpuva *va;
	unsigned int n = 0;

	drm_gpuvm_for_each_va(va, &vm->base)
		n++;
	return n;
}

/* The DMA address of byte @offset of the BO. */
static dma_addr_t bo_dma(struct drm_gmmu_bo *bo, u64 offset)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(bo->sgt, sg, i) {
		if (offset < sg_dma_len(sg))
			return sg_dma_address(sg) + offset;
		offset -= sg_dma_len(sg);
	}
	return 0;
}

/* Does [va, va + size) translate to the BO's DMA addresses from @offset? */
static bool maps_bo(struct drm_gmmu_vm *vm, u64 va, struct drm_gmmu_bo *bo,
		    u64 offset, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (iommu_iova_to_phys(vm->domain, va + off) !=
		    bo_dma(bo, offset + off))
			return false;
	return true;
}

static bool unmapped(struct drm_gmmu_vm *vm, u64 va, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (iommu_iova_to_phys(vm->domain, va + off))
			return false;
	return true;
}

static void run(struct drm_gmmu_device *gdev)
{
	struct test_vm *t, *t2;
	struct drm_gmmu_vm *vm;
	struct drm_gmmu_bo *bo, *bo2, *priv, *big;
	struct drm_gmmu_vm_cfg bad = {
		.format = "x86-48", .va_bits = 48, .va_start = 123,
		.tlb = &test_tlb, .free = test_vm_free,
	};
	/* A VM is too big for a debug kernel's stack frame. */
	struct drm_gmmu_vm *dummy = kzalloc(sizeof(*dummy), GFP_KERNEL);
	bool ok;
	int ret;

	report(dummy && drm_gmmu_vm_init(dummy, gdev, "bad", &bad) == -EINVAL,
	       "vm-init-rejects-bad-config");
	kfree(dummy);

	t = test_vm_create(gdev);
	bo = drm_gmmu_bo_create(gdev, SZ_4M);
	bo2 = drm_gmmu_bo_create(gdev, SZ_2M);
	if (!t || IS_ERR(bo) || IS_ERR(bo2)) {
		report(false, "setup");
		return;
	}
	vm = &t->gvm;

	ret = drm_gmmu_vm_bind(vm, bo, 0, VA0, SZ_4M, 0);
	report(!ret && count_vas(vm) == 1 && maps_bo(vm, VA0, bo, 0, SZ_4M) &&
	       !t->flushes, "bind-maps-bo-dma-addresses");

	ok = drm_gmmu_vm_bind(vm, bo, 0, VA0, 0, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, 0, VA0 + 1, SZ_4K, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, 0, -SZ_4K, SZ_8K, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, 0, 0, SZ_4K, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, 0, 1ull << 48, SZ_4K, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, SZ_4K, VA0, SZ_4M, 0) == -EINVAL &&
	     drm_gmmu_vm_bind(vm, bo, 0, VA0, SZ_4K, BIT(5)) == -EINVAL &&
	     drm_gmmu_vm_unbind(vm, VA0, SZ_4K + 1) == -EINVAL;
	report(ok && count_vas(vm) == 1 && maps_bo(vm, VA0, bo, 0, SZ_4M) &&
	       !t->flushes, "bad-input-changes-nothing");

	/*
	 * A bind whose table memory cannot be had fails as a whole. The range
	 * is not block-aligned, so it needs more tables than the domain keeps
	 * as spares: the reservation has to allocate, and the allocation fails.
	 */
	big = drm_gmmu_bo_create(gdev, SZ_64M);
	if (!IS_ERR(big)) {
		struct iommu_ctx_stats st;
		u64 bva = (1ull << 40) + SZ_4K;
		size_t need = iommu_ctx_reserve_count(vm->domain, bva, SZ_64M,
						      IOMMU_CTX_RES_MAP |
						      IOMMU_CTX_RES_UNMAP);

		iommu_ctx_get_stats(vm->domain, &st);
		if (st.spare_tables >= need) {
			pr_info("ok %u alloc-failure-changes-nothing # SKIP %llu spare tables cover %zu\n",
				++test_nr, st.spare_tables, need);
		} else {
			iommu_ctx_inject_alloc_failure(vm->domain, 1);
			ret = drm_gmmu_vm_bind(vm, big, 0, bva, SZ_64M, 0);
			iommu_ctx_inject_alloc_failure(vm->domain, 0);
			report(ret == -ENOMEM && count_vas(vm) == 1 &&
			       unmapped(vm, bva, SZ_64M) &&
			       maps_bo(vm, VA0, bo, 0, SZ_4M),
			       "alloc-failure-changes-nothing");
		}
		drm_gem_object_put(&big->base.base);
	} else {
		report(false, "alloc-failure-changes-nothing");
	}

	t->flushes = 0;
	ret = drm_gmmu_vm_unbind(vm, VA0 + SZ_1M, SZ_4K);
	report(!ret && count_vas(vm) == 2 && t->flushes == 1 &&
	       unmapped(vm, VA0 + SZ_1M, SZ_4K) &&
	       maps_bo(vm, VA0, bo, 0, SZ_1M) &&
	       maps_bo(vm, VA0 + SZ_1M + SZ_4K, bo, SZ_1M + SZ_4K,
		       SZ_4M - SZ_1M - SZ_4K), "unbind-splits-one-invalidation");

	ret = drm_gmmu_vm_bind(vm, bo2, SZ_64K, VA0 + SZ_2M, SZ_64K,
			       DRM_GMMU_VM_BIND_READONLY);
	report(!ret && count_vas(vm) == 4 &&
	       maps_bo(vm, VA0 + SZ_2M, bo2, SZ_64K, SZ_64K) &&
	       maps_bo(vm, VA0 + SZ_2M + SZ_64K, bo, SZ_2M + SZ_64K, SZ_64K),
	       "bind-replaces-what-was-there");

	/* At the invalidation the mapping must still hold the BO. */
	t->watch = bo2;
	t->watch_mapped = false;
	ret = drm_gmmu_vm_unbind(vm, VA0 + SZ_2M, SZ_64K);
	report(!ret && t->watch_mapped &&
	       list_empty(&bo2->base.base.gpuva.list),
	       "bo-released-after-invalidation");
	t->watch = NULL;

	t2 = test_vm_create(gdev);
	priv = t2 ? drm_gmmu_bo_create_private(gdev, &t2->gvm, SZ_64K) : NULL;
	if (!IS_ERR_OR_NULL(priv)) {
		report(priv->base.base.resv == drm_gpuvm_resv(&t2->gvm.base) &&
		       drm_gmmu_vm_bind(vm, priv, 0, SZ_1G, SZ_64K, 0) == -EINVAL &&
		       !drm_gmmu_vm_bind(&t2->gvm, priv, 0, SZ_1G, SZ_64K, 0),
		       "private-bo-shares-resv-binds-only-in-its-vm");
		/* The BO outlives its VM: the reservation object stays. */
		test_vm_destroy(t2);
		t2 = NULL;
		drm_gem_object_put(&priv->base.base);
	} else {
		report(false, "private-bo-shares-resv-binds-only-in-its-vm");
	}
	if (t2)
		test_vm_destroy(t2);

	drm_gmmu_vm_close(vm);
	report(!vm->domain && !count_vas(vm) &&
	       drm_gmmu_vm_bind(vm, bo, 0, VA0, SZ_4K, 0) == -ENOENT,
	       "close-unmaps-everything");
	drm_gmmu_vm_put(vm);

	t = test_vm_create(gdev);
	if (t && !drm_gmmu_vm_bind(&t->gvm, bo, 0, VA0, SZ_4M, 0)) {
		drm_gmmu_device_unplug(gdev);
		report(t->gvm.closed && !t->gvm.domain && !bo->sgt &&
		       !count_vas(&t->gvm), "unplug-closes-vms");
		test_vm_destroy(t);
	} else {
		report(false, "unplug-closes-vms");
		if (t)
			test_vm_destroy(t);
	}
	drm_gem_object_put(&bo->base.base);
	drm_gem_object_put(&bo2->base.base);
}

static int __init drm_gmmu_vm_selftest_init(void)
{
	struct gmmu_st_dev d;

	ktap_begin(NTESTS);
	if (gmmu_st_dev_create(&d, &selftest_driver, 64)) {
		report_rest_failed(NTESTS, "setup-failed");
		return 0;
	}
	run(d.gdev);
	gmmu_st_dev_destroy(&d);
	report_rest_failed(NTESTS, "not-run");
	return 0;
}

static void __exit drm_gmmu_vm_selftest_exit(void)
{
}

module_init(drm_gmmu_vm_selftest_init);
module_exit(drm_gmmu_vm_selftest_exit);

MODULE_DESCRIPTION("KTAP self-test of drm_gmmu VMs");
MODULE_AUTHOR("The gmmu authors");
MODULE_LICENSE("GPL");
