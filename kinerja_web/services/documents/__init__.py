"""Official documents: specs, numbering, issuing, rendering, batches, verification and signing settings."""
