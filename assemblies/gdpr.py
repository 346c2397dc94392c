"""The general assembly's part in the GDPR export and erasure (registered with members.gdpr).
The preparation's data (motions, candidacies) and the day's (proxies, attendance, elections,
minutes versions) are exported and erased by the functions of selectors/services."""


class AssembliesPersonalData:
    models = (
        "assemblies.Assembly",  # its chair (dirigent): exported; the anonymised account stays
        "assemblies.Motion",
        "assemblies.Candidacy",
        "assemblies.Proxy",
        "assemblies.Attendance",
        "assemblies.Decision",
        "assemblies.Election",
        "assemblies.Minutes",
        "assemblies.MinutesVersion",
    )

    def export(self, member) -> dict:
        from .selectors import day_data_of_member, preparation_data_of_member

        return {**preparation_data_of_member(member=member), **day_data_of_member(member=member)}

    def erase(self, member, *, keep_contributions: bool) -> None:
        from .services import day_member_forget, preparation_member_forget

        preparation_member_forget(member=member, keep_contributions=keep_contributions)
        day_member_forget(member=member, keep_contributions=keep_contributions)
