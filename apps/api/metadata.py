"""OPTIONS answers: what the endpoint renders and parses, never a description of its inputs.

DRF's SimpleMetadata describes the serializer of each writable method by calling
`view.get_object()`, which needs a queryset our views do not have (OPTIONS on
/datasets/{id}/publish was a 500). The OpenAPI schema at /api/schema/ describes inputs.
"""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        return {}
