"""Default catalog data (默认目录数据) loaded by the data migrations. Plain Python, no Django.

``document_templates`` (default document template texts, ``DEFAULT_TEMPLATES``) is written by
the documents engineer; the other modules are the catalog's own seeds.
"""
