"""Finding secret-link tokens where they must never be: the tokens a text (an email) holds,
and every table and column of the test database that holds any of them."""

import re

from django.db import connection

SECRET = re.compile(
    r"/(?:refresh/q|benefits/t|matchmaking/requests|matchmaking/expert-programme/applications)"
    r"/([A-Za-z0-9_-]{20,})"
)


def tokens_in_text(*texts: str) -> set[str]:
    """The tokens of every secret address in the texts."""
    return {token for text in texts for token in SECRET.findall(text)}


def tables_holding(tokens: set[str]) -> list[str]:
    """Every "table.column" of the database in which any of the tokens appears."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                where = " OR ".join([f"CAST({name} AS TEXT) LIKE %s"] * len(tokens))
                cursor.execute(
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} WHERE {where} LIMIT 1",
                    [f"%{token}%" for token in tokens],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column.name}")
    return found
