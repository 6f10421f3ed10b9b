"""The four roles. Their permissions are granted by the data migration accounts/0001."""

RESEARCHER = "Researcher"
REVIEWER = "Reviewer"
VIEWER = "Viewer"
ADMIN = "Admin"

ROLES = (RESEARCHER, REVIEWER, VIEWER, ADMIN)
