#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The gmmu authors
#
# swgpu_info_check.py SWGPU_INFO: run in the guest with the modules loaded.
# Parses `swgpu-info --json` and checks every value against the kernel on
# its own: the GPU list against sysfs, each parameter against a GET_PARAM
# ioctl issued here (numbers from the uapi headers, not from the tool or
# libswgpu), the page-table format's name against the uapi's kernel-doc,
# the slot count against GET_PARAM and the slots' owners and steal counts
# and the memory counters against debugfs. Prints gmmu-result lines.
import fcntl
import json
import os
import re
import struct
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# JSON key -> uapi enumerator
PARAMS = {
    "profile": "DRM_SWGPU_PARAM_PROFILE",
    "slot": "DRM_SWGPU_PARAM_SLOT",
    "page_sizes": "DRM_GMMU_PARAM_PAGE_SIZES",
    "va_bits": "DRM_GMMU_PARAM_VA_BITS",
    "dma_bits": "DRM_GMMU_PARAM_DMA_BITS",
    "coherent": "DRM_GMMU_PARAM_COHERENT",
    "max_bo_size": "DRM_GMMU_PARAM_MAX_BO_SIZE",
    "bo_create_flags": "DRM_GMMU_PARAM_BO_CREATE_FLAGS",
    "as_slots": "DRM_GMMU_PARAM_AS_SLOTS",
    "pt_format": "DRM_GMMU_PARAM_PT_FORMAT",
}
PROFILES = {0: "llc", 1: "atom"}
MEM_FILES = ("gmmu_backing", "gmmu_coherency")


def uapi_numbers():
    """Enumerators and defines of the uapi headers, as the compiler sees them."""
    text = ""
    for h in ("gmmu_drm.h", "swgpu_drm.h"):
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
    m = re.search(r"#define DRM_SWGPU_MAX_QUEUES\s+(\d+)", text)
    vals["DRM_SWGPU_MAX_QUEUES"] = int(m.group(1))
    m = re.search(r"#define DRM_SWGPU_GET_PARAM\s+(0x[0-9a-fA-F]+|\d+)", text)
    vals["DRM_SWGPU_GET_PARAM"] = int(m.group(1), 0)
    return vals


def get_param(fd, nr, param):
    # struct drm_gmmu_get_param_args: u64 extensions, u32 param, u32 flags, u64 value
    size = 24
    req = (3 << 30) | (size << 16) | (ord("d") << 8) | (0x40 + nr)
    buf = bytearray(struct.pack("=QIIQ", 0, param, 0, 0))
    fcntl.ioctl(fd, req, buf)
    return struct.unpack("=QIIQ", bytes(buf))[3]


def gmmu_nodes():
    nodes = {}
    for n in sorted(os.listdir("/sys/class/drm")):
        if not n.startswith("renderD"):
            continue
        drv = os.path.realpath("/sys/class/drm/%s/device/driver" % n)
        if os.path.basename(drv) == "swgpu":
            bus = os.path.basename(os.path.realpath("/sys/class/drm/%s/device" % n))
            nodes["/dev/dri/" + n] = bus
    return nodes


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
    got = [d.get("node") for d in devs]
    if got != sorted(want):
        errs.append("devices %s, sysfs has %s" % (got, sorted(want)))
    for d in devs:
        node = d.get("node")
        if node not in want:
            continue
        where = node + ": "
        if d.get("driver") != "swgpu":
            errs.append(where + "driver %r" % d.get("driver"))
        if d.get("bus") != want[node]:
            errs.append(where + "bus %r, sysfs %r" % (d.get("bus"), want[node]))
        params = d.get("params", {})
        if sorted(params) != sorted(PARAMS):
            errs.append(where + "params %s, want %s" % (sorted(params), sorted(PARAMS)))
        fd = os.open(node, os.O_RDWR)
        try:
            for key, enum in PARAMS.items():
                v = get_param(fd, vals["DRM_SWGPU_GET_PARAM"], vals[enum])
                if params.get(key) != v:
                    errs.append(where + "%s: %r, GET_PARAM %s says %d" % (key, params.get(key), enum, v))
                if key == "profile" and d.get("profile") != PROFILES.get(v, "unknown"):
                    errs.append(where + "profile %r, GET_PARAM says %d" % (d.get("profile"), v))
                if key == "pt_format" and d.get("format") != vals["pt_formats"].get(v, "unknown"):
                    errs.append(where + "format %r, GET_PARAM says %d" % (d.get("format"), v))
                if key == "as_slots":
                    check_slots(where, d, v, want[node], errs)
                if key == "page_sizes":
                    sizes = [1 << b for b in range(64) if v >> b & 1]
                    if d.get("page_sizes") != sizes:
                        errs.append(where + "page_sizes %r, GET_PARAM says %s" % (d.get("page_sizes"), sizes))
        finally:
            os.close(fd)
        if d.get("queues_per_vm") != vals["DRM_SWGPU_MAX_QUEUES"]:
            errs.append(where + "queues_per_vm %r" % d.get("queues_per_vm"))
        mem = d.get("memory", {})
        for f in MEM_FILES:
            c = counters(want[node], f)
            if mem.get(f, "missing") != c:
                errs.append(where + "memory %s: %r, debugfs has %r" % (f, mem.get(f, "missing"), c))


def check_text(tool, vals, errs):
    p = subprocess.run([tool], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        errs.append("swgpu-info: exit %d" % p.returncode)
    nodes = sorted(gmmu_nodes())
    for i, node in enumerate(nodes):
        if not re.search(r"^gpu%d: %s \(swgpu, " % (i, re.escape(node)), p.stdout, re.M):
            errs.append("swgpu-info: no line for gpu%d %s" % (i, node))
    # Each GPU's format by name and its slot count, in device order.
    want_fmt, want_slots = [], []
    for node in nodes:
        fd = os.open(node, os.O_RDWR)
        try:
            nr = vals["DRM_SWGPU_GET_PARAM"]
            want_fmt.append(vals["pt_formats"].get(get_param(fd, nr, vals["DRM_GMMU_PARAM_PT_FORMAT"])))
            want_slots.append(str(get_param(fd, nr, vals["DRM_GMMU_PARAM_AS_SLOTS"])))
        finally:
            os.close(fd)
    got_fmt = re.findall(r"^  page-table format:\s+(\S+) ", p.stdout, re.M)
    got_slots = re.findall(r"^  address-space slots:\s+(\d+)$", p.stdout, re.M)
    if got_fmt != want_fmt or got_slots != want_slots:
        errs.append("swgpu-info: formats %s and slots %s, GET_PARAM says %s and %s"
                    % (got_fmt, got_slots, want_fmt, want_slots))


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
