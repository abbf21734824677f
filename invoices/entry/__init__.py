"""Portal channels where the supplier keys the invoice: entry form and PDF with data form.

``totals`` computes the amounts (pure Decimal), ``forms`` reads and checks the page,
``services`` saves drafts, builds the EN 16931 model and deposits it through
:func:`invoices.services.deposit.flow_receive`, ``rendering`` makes the readable PDF of a
deposited invoice, ``views`` wires the pages.
"""
