// SPDX-License-Identifier: GPL-2.0-only
/*
 * gmmu_planted: test-only module with one deliberate bug per load, to prove
 * that the debug kernel's checkers report what they are meant to report.
 * Never built against the stock kernel, never loaded by the normal suite.
 *
 *   insmod gmmu_planted.ko bug=NAME
 *
 * NAME             checker          expected report
 * dma_dir          DMA-API debug    "DMA-API: ... frees DMA memory with different direction"
 * dma_sync_dir     DMA-API debug    "DMA-API: ... syncs DMA memory with different direction"
 * lock_order       lockdep          "possible circular locking dependency detected"
 * kasan_uaf        KASAN            "BUG: KASAN: slab-use-after-free"
 * kmemleak         kmemleak         "unreferenced object" on the next scans
 * odebug_free      debug objects    "ODEBUG: free active ... timer_list"
 *
 * Each bug goes in its own boot: DMA-API debug reports only its first error
 * per device and lockdep turns itself off after its first report.
 * Loading always fails with -EAGAIN once the bug is done, so nothing stays
 * behind but what the bug itself leaves.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "the bug to plant: dma_dir, dma_sync_dir, lock_order, kasan_uaf, kmemleak, odebug_free");

#define PLANTED_LEN 4096

/* A device with a 32-bit DMA mask, as a real driver's would be. */
static int planted_dma(bool sync_only)
{
	struct platform_device_info info = {
		.name = "gmmu_planted",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(32),
	};
	struct platform_device *pdev;
	struct device *dev;
	dma_addr_t addr;
	void *buf;
	int ret = 0;

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	dev = &pdev->dev;
	buf = kzalloc(PLANTED_LEN, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_dev;
	}
	addr = dma_map_single(dev, buf, PLANTED_LEN, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, addr)) {
		ret = -EIO;
		goto out_buf;
	}
	if (sync_only) {
		/* BUG: the mapping is TO_DEVICE, the sync says FROM_DEVICE. */
		dma_sync_single_for_cpu(dev, addr, PLANTED_LEN, DMA_FROM_DEVICE);
		dma_unmap_single(dev, addr, PLANTED_LEN, DMA_TO_DEVICE);
	} else {
		/* BUG: mapped TO_DEVICE, unmapped FROM_DEVICE. */
		dma_unmap_single(dev, addr, PLANTED_LEN, DMA_FROM_DEVICE);
	}
	pr_info("gmmu_planted: dma bug planted on %s\n", dev_name(dev));
out_buf:
	kfree(buf);
out_dev:
	platform_device_unregister(pdev);
	return ret;
}

static DEFINE_MUTEX(planted_a);
static DEFINE_MUTEX(planted_b);

/* BUG: A then B, later B then A. One thread, no deadlock, still a report. */
static noinline void planted_lock_order(void)
{
	mutex_lock(&planted_a);
	mutex_lock(&planted_b);
	mutex_unlock(&planted_b);
	mutex_unlock(&planted_a);

	mutex_lock(&planted_b);
	mutex_lock(&planted_a);
	mutex_unlock(&planted_a);
	mutex_unlock(&planted_b);
}

/* Keeps the compiler from proving the read dead or out of bounds. */
static u8 * volatile planted_ptr;

static noinline int planted_kasan_uaf(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	planted_ptr = p;
	kfree(p);
	/* BUG: read after free. */
	pr_info("gmmu_planted: read %u after free\n", READ_ONCE(planted_ptr[8]));
	return 0;
}

static noinline int planted_kmemleak(void)
{
	/* BUG: allocated, no pointer to it kept anywhere. */
	void *p = kmalloc(128, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	pr_info("gmmu_planted: leaked 128 bytes\n");
	return 0;
}

struct planted_obj {
	struct timer_list timer;
};

static void planted_timer_fn(struct timer_list *t)
{
}

static noinline int planted_odebug_free(void)
{
	struct planted_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	timer_setup(&o->timer, planted_timer_fn, 0);
	mod_timer(&o->timer, jiffies + 3600 * HZ);
	/*
	 * BUG: freed with the timer still pending. Debug objects catches it
	 * in kfree() and deactivates the timer, so nothing fires later.
	 */
	kfree(o);
	return 0;
}

static int __init planted_init(void)
{
	int ret;

	if (!strcmp(bug, "dma_dir"))
		ret = planted_dma(false);
	else if (!strcmp(bug, "dma_sync_dir"))
		ret = planted_dma(true);
	else if (!strcmp(bug, "lock_order"))
		ret = (planted_lock_order(), 0);
	else if (!strcmp(bug, "kasan_uaf"))
		ret = planted_kasan_uaf();
	else if (!strcmp(bug, "kmemleak"))
		ret = planted_kmemleak();
	else if (!strcmp(bug, "odebug_free"))
		ret = planted_odebug_free();
	else
		return -EINVAL;
	if (ret)
		return ret;
	pr_info("gmmu_planted: bug %s planted\n", bug);
	return -EAGAIN;
}
module_init(planted_init);

MODULE_DESCRIPTION("gmmu test-only module: planted bugs for the debug-kernel checkers");
MODULE_LICENSE("GPL");
