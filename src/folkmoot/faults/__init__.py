"""What the forum does on a bad day: the cache going away, the database refusing writes.

`cache.py` keeps the site up without Redis (pages render uncached); `classify.py` names the
database and storage faults a user can be told about; `middleware.py` and `views.py` turn them
into the designed error page (or JSON for the editor) that keeps what the user typed.
"""
