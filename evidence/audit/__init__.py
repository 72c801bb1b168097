"""The audit trail of an article: what happened to it, in a chain that shows
tampering, and the bundle an auditor receives.

- `chain`: the append-only hash chain (one per page) and its verification;
- `records`: how a version's text, a Source and a person are written down;
- `signals`: the receivers that append an event for every save, review
  decision, publish, unpublish and Source change;
- `bundle`: the export (`manage.py export_audit`, the admin's "Export audit
  trail") and its verification (`manage.py verify_audit`);
- `fhir`: Sources as FHIR R5 `Citation` resources and approved claims'
  certainty as `ArtifactAssessment` resources;
- `changes`: what changed between two published versions, in plain words.

It sits above the gate and the library (it listens to what they do, they
never call it) and below the admin, the API and the commands.
"""
