"""Export writers: pure functions from the records the patient chose to file bytes.

``jsondoc`` (the complete, versioned format), ``csvzip`` (one CSV per kind, zipped), ``fhir``
(an R4 Bundle), ``pdf`` (the provider report; the only module here that uses Qt, and only
QtGui), ``age`` (encryption) and ``report`` (the summary every human-readable format shares).
Nothing here touches the vault: ``companion.services.export_records`` reads it and
``companion.services.export.render`` calls these.
"""
