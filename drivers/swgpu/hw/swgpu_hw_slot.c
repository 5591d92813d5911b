// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The gmmu authors
 */

/**
 * DOC: Address-space slots of the model
 *
 * The device runs every batch in one of its address-space slots
 * (``nr_slots``, at most %SWGPU_HW_MAX_SLOTS: the llc part has 16, the
 * atom part one). A slot is a register pair, the page-table base and the
 * format, that the driver writes to bind a context
 * (swgpu_hw_slot_bind()), and a TLB that caches translations under it;
 * a slot flush (swgpu_hw_slot_flush()) empties that TLB. A ring entry
 * names its slot, and the engine translates a batch through that slot:
 * before it starts or resumes a batch, it checks that the slot is bound
 * to the ring's context with that context's current root, and refuses the
 * batch otherwise (-ENXIO, counted as ``slot_wrong``), as hardware would
 * have run it in another context's address space.
 *
 * Where the TLB lives: the model keeps TLB entries in the context's own
 * structure (swgpu_hw_mmu.c), and a context is bound to one slot at a
 * time, so the bound context's TLB is the slot's. A flush empties it.
 * Binding another context to a slot whose TLB may still hold its previous
 * owner's translations (the engine translated through it since the last
 * flush) is what hardware cannot survive: on an untagged TLB (atom) the
 * new context would hit the old one's entries, on an ASID-tagged TLB
 * (llc, ASID = slot) as well, since the tag is the slot. The model counts
 * it (``slot_stale_binds``); tests assert both error counters stay 0.
 * The counters are in ``swgpu_mmu`` in debugfs.
 */
#include <linux/seq_file.h>

#include "swgpu_hw_internal.h"

/**
 * swgpu_hw_slot_bind - write a slot's registers
 * @hw: the device
 * @slot: the slot, below the device's slot count (else ignored)
 * @mmu: the context whose root and format the slot gets, or NULL to
 *	clear it
 *
 * Context: any; takes the device's lock and the context's.
 */
void swgpu_hw_slot_bind(struct swgpu_hw_dev *hw, unsigned int slot,
			struct swgpu_hw_mmu *mmu)
{
	struct swgpu_hw_slot *s;

	if (slot >= hw->nr_slots)
		return;
	s = &hw->slots[slot];
	spin_lock(&hw->lock);
	if (mmu && s->used && s->mmu != mmu)
		hw->slot_stats.stale_binds++;
	s->mmu = mmu;
	s->fmt = NULL;
	s->root = 0;
	if (mmu) {
		spin_lock(&mmu->lock);
		s->fmt = mmu->fmt;
		s->root = mmu->root;
		spin_unlock(&mmu->lock);
		hw->slot_stats.binds++;
	}
	spin_unlock(&hw->lock);
}

/**
 * swgpu_hw_slot_flush - empty a slot's TLB
 * @hw: the device
 * @slot: the slot, below the device's slot count (else ignored)
 *
 * Context: any; takes the device's lock and the bound context's.
 */
void swgpu_hw_slot_flush(struct swgpu_hw_dev *hw, unsigned int slot)
{
	struct swgpu_hw_slot *s;

	if (slot >= hw->nr_slots)
		return;
	s = &hw->slots[slot];
	spin_lock(&hw->lock);
	if (s->mmu)
		swgpu_hw_mmu_flush_locked(s->mmu);
	s->used = false;
	hw->slot_stats.flushes++;
	spin_unlock(&hw->lock);
}

/**
 * swgpu_hw_slot_enter - the engine starts or resumes a batch in a slot
 * @mmu: the batch's context (its ring's)
 * @slot: the slot its ring entry names
 *
 * Return: true if @slot is bound to @mmu with its current tables; false,
 * counted, if not: the batch must not run.
 */
bool swgpu_hw_slot_enter(struct swgpu_hw_mmu *mmu, unsigned int slot)
{
	struct swgpu_hw_dev *hw = mmu->hw;
	struct swgpu_hw_slot *s = NULL;
	bool ok = false;

	spin_lock(&hw->lock);
	if (slot < hw->nr_slots) {
		s = &hw->slots[slot];
		spin_lock(&mmu->lock);
		ok = s->mmu == mmu && s->root == mmu->root &&
		     s->fmt == mmu->fmt;
		spin_unlock(&mmu->lock);
	}
	if (ok)
		s->used = true;
	else
		hw->slot_stats.wrong++;
	spin_unlock(&hw->lock);
	return ok;
}

/**
 * swgpu_hw_slot_forget - a context is destroyed: no slot holds it any more
 * @mmu: the context; the device's lock held
 *
 * The driver clears a context's slot before it destroys it; this only
 * keeps the model from remembering a freed context.
 */
void swgpu_hw_slot_forget(struct swgpu_hw_mmu *mmu)
{
	struct swgpu_hw_dev *hw = mmu->hw;
	unsigned int i;

	lockdep_assert_held(&hw->lock);
	for (i = 0; i < hw->nr_slots; i++)
		if (hw->slots[i].mmu == mmu)
			hw->slots[i].mmu = NULL;
}

/**
 * swgpu_hw_slot_show - print the slot counters, for ``swgpu_mmu``
 * @hw: the device
 * @m: where to
 */
void swgpu_hw_slot_show(struct swgpu_hw_dev *hw, struct seq_file *m)
{
	struct swgpu_hw_slot_stats st;

	spin_lock(&hw->lock);
	st = hw->slot_stats;
	spin_unlock(&hw->lock);
	seq_printf(m, "slots: %u\n", hw->nr_slots);
	seq_printf(m, "slot_binds: %lu\n", st.binds);
	seq_printf(m, "slot_flushes: %lu\n", st.flushes);
	seq_printf(m, "slot_wrong: %lu\n", st.wrong);
	seq_printf(m, "slot_stale_binds: %lu\n", st.stale_binds);
}
