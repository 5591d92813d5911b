#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The gmmu authors
#
# swgpu_info_check.py SWGPU_INFO: run in the guest with the modules loaded.
# Parses `swgpu-info --json` and its text and checks every value against
# the kernel on its own, for every driver on drm_gmmu (swgpu and jdgpu,
# DRIVERS below): the GPU list against sysfs (each driver must have a
# device: the VM lanes bind one), each parameter, the driver's own and
# drm_gmmu's, against a GET_PARAM ioctl issued here under the driver's own
# ioctl number (numbers from the uapi headers, not from the tool or
# libswgpu), the page-table format's name against the uapi's kernel-doc,
# jdgpu's slot count, format and chain length against what jdgpu_drm.h
# promises, the queues per VM against the driver's uapi define, the slot
# count against GET_PARAM and the slots' owners and steal counts and the
# memory counters against debugfs. Prints gmmu-result lines.
import fcntl
import json
import os
import re
import struct
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# drm_gmmu's parameters, every driver's: JSON key -> uapi enumerator
SHARED = {
    "page_sizes": "DRM_GMMU_PARAM_PAGE_SIZES",
    "va_bits": "DRM_GMMU_PARAM_VA_BITS",
    "dma_bits": "DRM_GMMU_PARAM_DMA_BITS",
    "coherent": "DRM_GMMU_PARAM_COHERENT",
    "max_bo_size": "DRM_GMMU_PARAM_MAX_BO_SIZE",
    "bo_create_flags": "DRM_GMMU_PARAM_BO_CREATE_FLAGS",
    "as_slots": "DRM_GMMU_PARAM_AS_SLOTS",
    "pt_format": "DRM_GMMU_PARAM_PT_FORMAT",
}
# Each driver on drm_gmmu, by its DRM (and PCI) driver name: the number of
# its GET_PARAM ioctl, its own parameters (JSON key -> uapi enumerator,
# with the text output's label), the uapi define of its queues per VM, and
# the names of parameter values shown as strings ("profile").
DRIVERS = {
    "swgpu": {
        "header": "swgpu_drm.h",
        "get_param": "DRM_SWGPU_GET_PARAM",
        "params": {"profile": ("DRM_SWGPU_PARAM_PROFILE", "profile"),
                   "slot": ("DRM_SWGPU_PARAM_SLOT", "hardware slot")},
        "queues": "DRM_SWGPU_MAX_QUEUES",
        "names": {"profile": {0: "llc", 1: "atom"}},
    },
    "jdgpu": {
        "header": "jdgpu_drm.h",
        "get_param": "DRM_JDGPU_GET_PARAM",
        "params": {"pci_slot": ("DRM_JDGPU_PARAM_PCI_SLOT", "PCI slot"),
                   "max_chain": ("DRM_JDGPU_PARAM_MAX_CHAIN", "descriptors per job")},
        "queues": "DRM_JDGPU_MAX_QUEUES",
        "names": {},
    },
}
MEM_FILES = ("gmmu_backing", "gmmu_coherency")


def uapi_numbers():
    """Enumerators and defines of the uapi headers, as the compiler sees them."""
    text = ""
    for h in ["gmmu_drm.h"] + [d["header"] for d in DRIVERS.values()]:
        with open(os.path.join(TOP, "uapi", "drm", h)) as f:
            text += f.read()
    vals = {}
    for name, expr in re.findall(r"^\s*(DRM_\w+)\s*=\s*([^,\n]+),", text, re.M):
        expr = expr.strip()
        if expr in vals:
            vals[name] = vals[expr]
        else:
            vals[name] = int(expr, 0)
    # Enumerators without "=": one past the previous one.
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, re.S):
        prev = None
        for line in body.splitlines():
            m = re.match(r"\s*(DRM_\w+)\s*(=\s*[^,]+)?,", line)
            if not m:
                continue
            if m.group(2) is None and prev is not None:
                vals[m.group(1)] = vals[prev] + 1
            prev = m.group(1)
    # Format names as the kernel-doc of enum drm_gmmu_pt_format gives them.
    vals["pt_formats"] = {}
    for name, fmt in re.findall(r'@(DRM_GMMU_PT_FORMAT_\w+): "([^"]+)"', text):
        vals["pt_formats"][vals[name]] = fmt
    # Plain numeric defines: ioctl numbers, queues per VM, JDGPU_MAX_CHAIN.
    for name, num in re.findall(r"^#define ((?:DRM|JDGPU)_\w+)\s+(0x[0-9a-fA-F]+|\d+)\s*$",
                                text, re.M):
        vals[name] = int(num, 0)
    # What jdgpu's uapi promises of every jdgpu (enum drm_jdgpu_param's
    # kernel-doc): its slot count and page-table format.
    m = re.search(r"address-space slot count,\s*\*?\s*(\d+), and the page-table\s*\*?\s*format, ([\w-]+),",
                  text)
    if not m:
        raise ValueError("jdgpu_drm.h: no slot count and format in enum drm_jdgpu_param's kernel-doc")
    vals["jdgpu_expect"] = {"as_slots": int(m.group(1)), "format": m.group(2),
                            "max_chain": vals["JDGPU_MAX_CHAIN"]}
    return vals


def get_param(fd, nr, param):
    # struct drm_gmmu_get_param_args: u64 extensions, u32 param, u32 flags, u64 value
    size = 24
    req = (3 << 30) | (size << 16) | (ord("d") << 8) | (0x40 + nr)
    buf = bytearray(struct.pack("=QIIQ", 0, param, 0, 0))
    fcntl.ioctl(fd, req, buf)
    return struct.unpack("=QIIQ", bytes(buf))[3]


def gmmu_nodes():
    """Render node -> (parent device, driver) of every driver in DRIVERS."""
    nodes = {}
    for n in sorted(os.listdir("/sys/class/drm")):
        if not n.startswith("renderD"):
            continue
        drv = os.path.basename(os.path.realpath("/sys/class/drm/%s/device/driver" % n))
        if drv in DRIVERS:
            bus = os.path.basename(os.path.realpath("/sys/class/drm/%s/device" % n))
            nodes["/dev/dri/" + n] = (bus, drv)
    return nodes


def node_params(node, drv, vals):
    """Every parameter of @node: GET_PARAM here, with @drv's ioctl number."""
    want = dict((k, e) for k, (e, _) in DRIVERS[drv]["params"].items())
    want.update(SHARED)
    nr = vals[DRIVERS[drv]["get_param"]]
    fd = os.open(node, os.O_RDWR)
    try:
        return dict((k, get_param(fd, nr, vals[e])) for k, e in want.items())
    finally:
        os.close(fd)


def check_nodes(want, errs):
    """The VM lanes bind a device of every driver: one missing is a failure."""
    for drv in DRIVERS:
        if drv not in [d for _, d in want.values()]:
            errs.append("sysfs has no %s render node (the VM lanes bind one)" % drv)


def counters(bus, name):
    path = "/sys/kernel/debug/dri/%s/%s" % (bus, name)
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    out = {}
    for line in lines:
        k, sep, v = line.partition(":")
        if sep:
            try:
                out[k] = int(v.strip(), 0)
            except ValueError:
                pass
    return out


def slots_file(bus):
    """gmmu_slots as swgpu-info --json gives it: counters and per-slot lines."""
    path = "/sys/kernel/debug/dri/%s/gmmu_slots" % bus
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return None, None
    keys, per_slot = {}, []
    for line in lines:
        m = re.match(r"slot(\d+): owner (\d+) busy (\d+) steals (\d+)$", line)
        if m:
            per_slot.append(dict(zip(("slot", "owner", "busy", "steals"),
                                     map(int, m.groups()))))
            continue
        k, sep, v = line.partition(":")
        if sep:
            keys[k] = int(v.strip(), 0)
    return keys, per_slot


def check_slots(where, d, as_slots, bus, errs):
    slots = d.get("slots")
    if not isinstance(slots, dict):
        errs.append(where + "no \"slots\" object")
        return
    if slots.get("count") != as_slots:
        errs.append(where + "slots count %r, GET_PARAM AS_SLOTS says %d" % (slots.get("count"), as_slots))
    keys, per_slot = slots_file(bus)
    if slots.get("debugfs", "missing") != keys:
        errs.append(where + "slots debugfs %r, gmmu_slots has %r" % (slots.get("debugfs", "missing"), keys))
    if keys is None:
        return
    if slots.get("per_slot") != per_slot:
        errs.append(where + "per_slot %r, gmmu_slots has %r" % (slots.get("per_slot"), per_slot))
    # The hardware's count, and one line per slot in use.
    if keys.get("max") != as_slots or len(per_slot) != keys.get("slots"):
        errs.append(where + "gmmu_slots max %r with %d slot lines, GET_PARAM says %d"
                    % (keys.get("max"), len(per_slot), as_slots))


def check_json(tool, vals, errs):
    p = subprocess.run([tool, "--json"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        errs.append("swgpu-info --json: exit %d: %s" % (p.returncode, p.stderr.strip()))
        return
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        errs.append("swgpu-info --json: not JSON: %s" % e)
        return
    devs = doc.get("devices")
    if not isinstance(devs, list):
        errs.append("no \"devices\" list")
        return
    want = gmmu_nodes()
    check_nodes(want, errs)
    got = [d.get("node") for d in devs]
    if got != sorted(want):
        errs.append("devices %s, sysfs has %s" % (got, sorted(want)))
    for d in devs:
        node = d.get("node")
        if node not in want:
            continue
        bus, drv = want[node]
        dd = DRIVERS[drv]
        where = "%s (%s): " % (node, drv)
        if d.get("driver") != drv:
            errs.append(where + "driver %r, sysfs %r" % (d.get("driver"), drv))
        if d.get("bus") != bus:
            errs.append(where + "bus %r, sysfs %r" % (d.get("bus"), bus))
        kv = node_params(node, drv, vals)
        params = d.get("params", {})
        if params != kv:
            errs.append(where + "params %r, GET_PARAM says %r" % (params, kv))
        own = dict((k, kv[k]) for k in dd["params"])
        if d.get("driver_params") != own:
            errs.append(where + "driver_params %r, GET_PARAM says %r" % (d.get("driver_params"), own))
        # A value shown by name where the driver names it, and only there.
        for key in dd["params"]:
            if key in dd["names"]:
                if d.get(key) != dd["names"][key].get(kv[key], "unknown"):
                    errs.append(where + "%s %r, GET_PARAM says %d" % (key, d.get(key), kv[key]))
            elif key in d:
                errs.append(where + "a %r key, but %s has no names for it" % (key, drv))
        if "profile" in d and "profile" not in dd["names"]:
            errs.append(where + "a \"profile\" key, but %s has no profiles" % drv)
        fmt = vals["pt_formats"].get(kv["pt_format"], "unknown")
        if d.get("format") != fmt:
            errs.append(where + "format %r, GET_PARAM says %d (%s)" % (d.get("format"), kv["pt_format"], fmt))
        if drv == "jdgpu":
            exp = vals["jdgpu_expect"]
            got_exp = {"as_slots": kv["as_slots"], "format": fmt, "max_chain": kv["max_chain"]}
            if got_exp != exp:
                errs.append(where + "%r, jdgpu_drm.h promises %r" % (got_exp, exp))
        check_slots(where, d, kv["as_slots"], bus, errs)
        sizes = [1 << b for b in range(64) if kv["page_sizes"] >> b & 1]
        if d.get("page_sizes") != sizes:
            errs.append(where + "page_sizes %r, GET_PARAM says %s" % (d.get("page_sizes"), sizes))
        if d.get("queues_per_vm") != vals[dd["queues"]]:
            errs.append(where + "queues_per_vm %r, %s is %d" % (d.get("queues_per_vm"), dd["queues"], vals[dd["queues"]]))
        mem = d.get("memory", {})
        for f in MEM_FILES:
            c = counters(bus, f)
            if mem.get(f, "missing") != c:
                errs.append(where + "memory %s: %r, debugfs has %r" % (f, mem.get(f, "missing"), c))


def check_text(tool, vals, errs):
    p = subprocess.run([tool], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        errs.append("swgpu-info: exit %d" % p.returncode)
    want = gmmu_nodes()
    check_nodes(want, errs)
    # One block a GPU, in minor order, from its "gpuN: node (driver, bus)".
    blocks = re.split(r"^(?=gpu\d+: )", p.stdout, flags=re.M)[1:]
    if len(blocks) != len(want):
        errs.append("swgpu-info: %d GPUs, sysfs has %d" % (len(blocks), len(want)))
    for i, (node, block) in enumerate(zip(sorted(want), blocks)):
        bus, drv = want[node]
        dd = DRIVERS[drv]
        where = "swgpu-info: gpu%d %s (%s): " % (i, node, drv)
        if not block.startswith("gpu%d: %s (%s, %s)\n" % (i, node, drv, bus)):
            errs.append(where + "first line %r" % block.splitlines()[0])
        kv = node_params(node, drv, vals)
        lines = {}
        for m in re.finditer(r"^  ([^:\n]+):[ \t]+(\S.*)$", block, re.M):
            lines[m.group(1)] = m.group(2)
        shown = {}
        for key, (_, label) in dd["params"].items():
            names = dd["names"].get(key)
            shown[label] = names.get(kv[key], "unknown") if names else str(kv[key])
        fmt = vals["pt_formats"].get(kv["pt_format"])
        shown["page-table format"] = "%s (%d)" % (fmt, kv["pt_format"])
        shown["address-space slots"] = str(kv["as_slots"])
        shown["queues per VM"] = str(vals[dd["queues"]])
        for label, v in shown.items():
            if lines.get(label) != v:
                errs.append(where + "%s: %r, want %r" % (label, lines.get(label), v))


def main():
    tool = sys.argv[1]
    vals = uapi_numbers()
    for name, check in (("swgpu-info-json", lambda e: check_json(tool, vals, e)),
                        ("swgpu-info-text", lambda e: check_text(tool, vals, e))):
        errs = []
        try:
            check(errs)
        except Exception as e:  # a crash of the check is a failure, said
            errs.append("%s: %s" % (type(e).__name__, e))
        for e in errs:
            print("swgpu-info-check: " + e)
        print("gmmu-result %s %s" % ("FAIL" if errs else "PASS", name))


main()
