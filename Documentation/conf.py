# SPDX-License-Identifier: GPL-2.0-only
# Sphinx configuration for gmmu's Documentation/, built by `make docs`
# (tools/docs.sh), which sets the two environment variables below: the
# kernel's own kernel-doc script (Debian's linux-headers) and the directory
# holding the kernel's Sphinx extension kerneldoc.py (from Debian's
# linux-source), which runs that script for every ".. kernel-doc::".
import os
import sys

for var in ("GMMU_KERNEL_DOC", "GMMU_KERNEL_SPHINX"):
    if not os.environ.get(var):
        sys.exit("conf.py: %s is not set: build the documentation with make docs" % var)

sys.path.insert(0, os.environ["GMMU_KERNEL_SPHINX"])

project = "gmmu"
copyright = "2026, The gmmu authors"
master_doc = "index"
extensions = ["kerneldoc"]
exclude_patterns = []
primary_domain = "c"
highlight_language = "none"
html_theme = "alabaster"
html_static_path = []

kerneldoc_bin = os.environ["GMMU_KERNEL_DOC"]
kerneldoc_srctree = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# kernel-doc's own stderr is always passed through: tools/docs.sh fails on
# any warning in it.
kerneldoc_verbosity = 1
