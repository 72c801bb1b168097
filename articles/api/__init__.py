"""The articles REST API: read, draft, review and publish articles."""
