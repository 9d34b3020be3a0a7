"""What happens to exports, for whoever listens: the audit trail (issue 18).

`export_downloaded` is sent (with `sender=Dataset`, `dataset=`, `format=`, `task=` and `job=`
the ExportJob or None) when an export's bytes leave Loam: a download streamed to a browser
or an API client, a background export's file served, or a file written by the command.
"""

from django.dispatch import Signal

export_downloaded = Signal()
