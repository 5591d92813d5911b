/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Self-test device fixture
 *
 * What the drm_gmmu self-test modules that need a device share: KTAP
 * result lines, and a platform device with a DRM device and a
 * drm_gmmu_device on it. Each module includes this once: it holds the
 * module's test counter.
 */
#ifndef __GMMU_SELFTEST_DEV_H__
#define __GMMU_SELFTEST_DEV_H__

#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/printk.h>

#include <drm/drm_drv.h>
#include <drm/drm_gmmu.h>

static unsigned int test_nr;

/* One KTAP result line. */
static void report(bool ok, const char *name)
{
	pr_info("%sok %u %s\n", ok ? "" : "not ", ++test_nr, name);
}

/* The KTAP header, for @planned results. */
static void ktap_begin(unsigned int planned)
{
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", planned);
}

/* A failed result, named @why, for every planned one not reported. */
static void report_rest_failed(unsigned int planned, const char *why)
{
	while (test_nr < planned)
		report(false, why);
}

/**
 * struct gmmu_st_dev - the device a self-test runs on
 * @pdev: a platform device named after the DRM driver
 * @gdev: a drm_gmmu_device with a DRM device of the driver, on @pdev
 */
struct gmmu_st_dev {
	struct platform_device *pdev;
	struct drm_gmmu_device *gdev;
};

/*
 * A platform device with a @dma_bits DMA mask and DMA segments as long as
 * a GPU driver allows them (BO sg tables merge contiguous pages beyond the
 * platform default of 64 KiB), and on it a drm_gmmu_device with a DRM
 * device of @drv, allocated as a driver allocates its device (the
 * platform device has no driver: its managed resources go when it is
 * unregistered). Returns 0 or -errno; nothing is left on error.
 */
static int gmmu_st_dev_create(struct gmmu_st_dev *d,
			      const struct drm_driver *drv,
			      unsigned int dma_bits)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->pdev = platform_device_register_simple(drv->name, -1, NULL, 0);
	if (IS_ERR(d->pdev))
		return PTR_ERR(d->pdev);
	/* A platform device has no DMA mask to set: point it at its own. */
	d->pdev->dev.dma_mask = &d->pdev->dev.coherent_dma_mask;
	ret = drm_gmmu_dma_setup(&d->pdev->dev, dma_bits);
	if (ret)
		goto err_pdev;
	d->gdev = devm_drm_dev_alloc(&d->pdev->dev, drv,
				     struct drm_gmmu_device, drm);
	if (IS_ERR(d->gdev)) {
		ret = PTR_ERR(d->gdev);
		goto err_pdev;
	}
	ret = drm_gmmu_device_init(d->gdev);
	if (ret)
		goto err_pdev;
	return 0;

err_pdev:
	platform_device_unregister(d->pdev);
	return ret;
}

/*
 * Undoes gmmu_st_dev_create(): unregistering the platform device releases
 * its managed resources, the DRM device's reference among them, and the
 * drm_gmmu_device goes with the DRM device's last reference. A test that
 * unplugs does so before.
 */
static void gmmu_st_dev_destroy(struct gmmu_st_dev *d)
{
	platform_device_unregister(d->pdev);
}

#endif /* __GMMU_SELFTEST_DEV_H__ */
