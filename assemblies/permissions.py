"""Who may do what with the general assembly, as rules predicates: every active member
reads the agenda and the published motions; members (not deputies, who stand in for a
member and propose nothing of their own) submit motions and stand for election; the
board (and staff) prepares the assembly."""

import rules

from members.permissions import is_active_member, is_board, is_deputy, is_staff


@rules.predicate
def is_proposer(user, motion) -> bool:
    """Proposed this motion."""
    return motion is not None and user.is_authenticated and motion.proposer_id == user.pk


@rules.predicate
def is_candidate(user, candidacy) -> bool:
    """Announced this candidacy."""
    return candidacy is not None and user.is_authenticated and candidacy.member_id == user.pk


@rules.predicate
def is_published_motion(user, motion) -> bool:
    """A motion the board has published with the others (withdrawn ones are not shown)."""
    return bool(
        motion is not None
        and motion.withdrawn_at is None
        and motion.assembly.motions_published_at is not None
    )


can_prepare = is_active_member & (is_board | is_staff)

# --- The preparation ------------------------------------------------------------------
rules.add_perm("assemblies.view_assembly", is_active_member)
rules.add_perm("assemblies.prepare_assembly", can_prepare)
rules.add_perm("assemblies.submit_motion", is_active_member & ~is_deputy)
rules.add_perm(
    "assemblies.view_motion", is_active_member & (is_proposer | is_published_motion | can_prepare)
)
rules.add_perm("assemblies.withdraw_motion", is_active_member & is_proposer)
rules.add_perm("assemblies.stand_for_election", is_active_member & ~is_deputy)
rules.add_perm("assemblies.withdraw_candidacy", is_active_member & is_candidate)
