"""Demo data for AOS CRM: an invented catalog, demo logins and twelve weeks of sales-floor activity.

Everything here is made up: brands such as "Example Tile Co.", customers with @example.com emails
and 555-01xx phone numbers. ``manage.py load_demo_data`` is the entry point; see
:mod:`aos_crm.demo.loader`.
"""
