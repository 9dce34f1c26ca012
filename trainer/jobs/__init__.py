"""Long work in the background: a job table with progress, run by Huey workers."""
