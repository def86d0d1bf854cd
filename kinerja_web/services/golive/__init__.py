"""Go-live readiness: the checklist of what must be set up before real use."""
