"""Working-day calendar (工作日历): holidays, adjusted working days (调休), provisional years.

The package is named ``calendar``: inside it always import project code absolutely
(``from sanxiang.calendar.rules import workdays``) so the standard library ``calendar``
module is never shadowed.
"""
