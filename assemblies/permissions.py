"""Who may do what with the general assembly, as rules predicates: every active member
reads the agenda and the published motions; members (not deputies, who stand in for a
member and propose nothing of their own) submit motions, stand for election and give
proxies; the board (and staff) prepares the assembly and runs its day, with the chair
(dirigent) checking people in and approving the minutes."""

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


# --- The day: proxies, attendance, decisions, minutes ------------------------------------


@rules.predicate
def is_assembly_chair(user, assembly) -> bool:
    """The assembly's chair (dirigent)."""
    return bool(assembly is not None and user.is_authenticated and assembly.chair_id == user.pk)


@rules.predicate
def has_no_chair(user, assembly) -> bool:
    return assembly is not None and assembly.chair_id is None


@rules.predicate
def minutes_published(user, assembly) -> bool:
    minutes = getattr(assembly, "minutes", None) if assembly is not None else None
    return minutes is not None and minutes.published_at is not None


runs_the_day = is_board | is_staff

# A counted member gives a proxy; a deputy stands in for their member and neither gives
# nor holds one (assemblies.services.day.proxy_give).
rules.add_perm("assemblies.give_proxy", is_active_member & ~is_deputy)
rules.add_perm("assemblies.view_proxies", is_active_member & (runs_the_day | is_assembly_chair))
# The attendance register on the day: the board, staff and the assembly's chair.
rules.add_perm("assemblies.check_in", is_active_member & (runs_the_day | is_assembly_chair))
rules.add_perm("assemblies.record_decisions", is_active_member & runs_the_day)
# Applying an election changes who is on the board: staff alone.
rules.add_perm("assemblies.apply_election", is_active_member & is_staff)
rules.add_perm("assemblies.edit_minutes", is_active_member & runs_the_day)
# The chair approves the minutes; an assembly without a chair has them approved by the
# board (or staff), who then stand in for the chair.
rules.add_perm(
    "assemblies.approve_minutes",
    is_active_member & (is_assembly_chair | (has_no_chair & runs_the_day)),
)
rules.add_perm("assemblies.publish_minutes", is_active_member & runs_the_day)
# Members read the minutes once published; the board, staff and the chair see drafts.
rules.add_perm(
    "assemblies.view_minutes",
    is_active_member & (minutes_published | runs_the_day | is_assembly_chair),
)
rules.add_perm("assemblies.search_decisions", is_active_member)
