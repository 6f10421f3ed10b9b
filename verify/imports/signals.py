from django.dispatch import Signal

# Sent once an import has committed, with `references`: every incident the import created or updated. New
# incidents and claims are bulk-inserted (no post_save per row), so whatever keeps derived fields up to date
# (cross-checking flags, suggested grades) should listen here.
incidents_imported = Signal()
