"""End-to-end check of the local Neo4j started by neo4j/neo4j.sh (needs `pip install neo4j`).

Uses NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (defaults match neo4j.sh).
Exits non-zero on the first failure; never prints the password.
"""

import os
import sys

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
user = os.environ.get("NEO4J_USERNAME", "neo4j")
password = os.environ.get("NEO4J_PASSWORD", "citegraph-dev")
database = os.environ.get("NEO4J_DATABASE", "neo4j")
routing_uri = "neo4j://" + uri.split("://", 1)[1]


def check(target: str) -> None:
    with GraphDatabase.driver(target, auth=(user, password)) as driver:
        driver.verify_connectivity()
        records, _, _ = driver.execute_query("CREATE (n:T {x: 1}) RETURN n.x AS x", database_=database)
        assert records[0]["x"] == 1, records
        driver.execute_query("MATCH (n:T) DETACH DELETE n", database_=database)
        driver.execute_query(
            "CREATE CONSTRAINT work_iri IF NOT EXISTS FOR (n:Work) REQUIRE n.iri IS UNIQUE", database_=database
        )
        records, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name WHERE name = 'work_iri' RETURN count(*) AS c", database_=database
        )
        assert records[0]["c"] == 1, records
        info = driver.get_server_info()
        print(f"ok: {target} -> {info.agent} (protocol {info.protocol_version})")


check(uri)
check(routing_uri)

try:
    with GraphDatabase.driver(uri, auth=(user, password + "-wrong")) as driver:
        driver.verify_connectivity()
except AuthError:
    print("ok: wrong password rejected with AuthError")
else:
    sys.exit("FAIL: wrong password was accepted")
