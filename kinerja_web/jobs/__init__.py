"""Background work: the huey runner (`runner`) and the one list of job kinds and periodic tasks (`registry`).

What an area needs to start a job or report progress (`enqueue`, `Progress`, the Job row helpers) is
`kinerja_web/services/jobs.py`, below the areas, so that the registry here can import every area's handler.
"""
