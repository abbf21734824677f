"""The invoices' Chorus Pro-compatible services (``/cpro/factures/v1/`` and their reports).

Views read the body with typed serializers and call the portal's own services and
selectors (deposit, processing reports, entry form, actions): no rule lives here.
"""
