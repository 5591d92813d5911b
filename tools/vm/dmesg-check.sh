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
re=$(IFS='|'; echo "${patterns[*]}")
if grep -nE "$re" "$1"; then
	exit 1
fi
exit 0
