"""The documents app's part in the GDPR export and erasure (registered with members.gdpr)."""


class DocumentsPersonalData:
    models = ("documents.Document", "documents.DocumentVersion")

    def export(self, member) -> dict:
        from .selectors import documents_data_of_member

        return documents_data_of_member(member=member)

    def erase(self, member, *, keep_contributions: bool) -> None:
        # The documents belong to the association and stay; the link to the uploader goes.
        from .services import member_uploads_forget

        member_uploads_forget(member=member)
