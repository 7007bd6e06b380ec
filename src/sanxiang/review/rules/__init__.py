"""Pure rules of legal review (法制审核规则): no Django, table-tested."""
