"""Members: the Member user model, regions and municipalities, invitations and the
changes of municipality; login adapters; the directory's search, profile editing, data
export and erasure, and the GDPR registry (members.gdpr) that the apps above fill in
their AppConfig.ready(). Stands just above core and may import core only: what it must
hear from a higher app comes by that registration or by members' own signals."""
