#!/bin/bash
# dmesg-check.sh FILE: fail (exit 1, offending lines on stdout) if the
# guest's kernel log has any report a test run must not produce.
set -u
patterns=(
	'Oops'
	'BUG:'
	'kernel BUG'
	'WARNING:'
	'------------\[ cut here \]'
	'Call Trace:'
	'general protection fault'
	'lockdep'
	'possible circular locking'
	'possible recursive locking'
	'inconsistent lock state'
	'suspicious RCU usage'
	'refcount_t:'
	'list_add corruption'
	'list_del corruption'
	'KASAN'
	'UBSAN'
	'DMA-API'
	'kmemleak'
	'ODEBUG'
	'sleeping function called from invalid context'
	'Kernel panic'
	'hung_task'
	'soft lockup'
)
# Lines that match a pattern above but report nothing: the debug kernel's
# checkers announce themselves at boot. Keep each one exact.
benign=(
	'\] (Kernel command line|Command line): '
	'\] Unknown kernel command line parameters ".*", will be passed to user space\.$'
	'\] +gmmu_(dir|script|args|lane)=[^ ]*$'
	'rcu:[[:space:]]+RCU lockdep checking is enabled\.$'
	'DMA-API: preallocated [0-9]+ debug entries$'
	'DMA-API: debugging enabled by kernel config$'
	'DMA-API: dma_debug_entry pool grown to [0-9]+ \([0-9]+%\)$'
	'kmemleak: Kernel memory leak detector initialized \(mem pool available: [0-9]+\)$'
)
re=$(IFS='|'; echo "${patterns[*]}")
ok=$(IFS='|'; echo "${benign[*]}")
if grep -nE "$re" "$1" | grep -vE "$ok"; then
	exit 1
fi
exit 0
