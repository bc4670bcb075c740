"""Inventory service: typical application code with safe database access."""
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from typing import Iterable

log = logging.getLogger(__name__)

TABLE = "items"


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    tags: list = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"sku": self.sku, "name": self.name, "quantity": self.quantity, "tags": self.tags})


class Repository:
    def __init__(self, conn):
        self.conn = conn

    def get(self, sku: str):
        cur = self.conn.cursor()
        cur.execute("SELECT sku, name, quantity FROM items WHERE sku = %s", (sku,))
        row = cur.fetchone()
        return Item(*row) if row else None

    def search(self, term: str, limit: int = 20):
        query = "SELECT sku, name, quantity FROM items WHERE name ILIKE %s LIMIT %s"
        cur = self.conn.cursor()
        cur.execute(query, (f"%{term}%", limit))
        return [Item(*r) for r in cur.fetchall()]

    def count(self) -> int:
        cur = self.conn.cursor()
        cur.execute("SELECT count(*) FROM " + TABLE)
        return cur.fetchone()[0]

    def save_all(self, items: Iterable[Item]) -> None:
        cur = self.conn.cursor()
        cur.executemany(
            "INSERT INTO items (sku, name, quantity) VALUES (%s, %s, %s) ON CONFLICT (sku) DO UPDATE SET quantity = EXCLUDED.quantity",
            [(i.sku, i.name, i.quantity) for i in items],
        )
        self.conn.commit()


def load_seed(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [Item(**d) for d in data]


def restock(repo: Repository, threshold: int = 5) -> list:
    low = []
    for item in repo.search("", limit=1000):
        if item.quantity < threshold:
            low.append(item)
            log.info("restocking %s (%d left)", item.sku, item.quantity)
    return low


def new_api_token() -> str:
    return secrets.token_urlsafe(32)


def summarise(items: Iterable[Item]) -> dict:
    out = {"total": 0, "skus": 0, "by_tag": {}}
    for item in items:
        out["total"] += item.quantity
        out["skus"] += 1
        for tag in item.tags:
            out["by_tag"][tag] = out["by_tag"].get(tag, 0) + item.quantity
    return out


def export(items: Iterable[Item], directory: str) -> str:
    path = os.path.join(directory, "export.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump([i.__dict__ for i in items], f, indent=2)
    return path
