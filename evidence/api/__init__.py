"""The evidence REST API: sources, where they are cited, claim detection."""
