'use strict';
const express = require('express');
const { Pool } = require('pg');
const crypto = require('crypto');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const router = express.Router();

function validateOrder(body) {
  const errors = [];
  if (!body || typeof body !== 'object') errors.push('body must be an object');
  if (!Array.isArray(body.lines) || body.lines.length === 0) errors.push('lines must be a non-empty array');
  for (const line of body.lines || []) {
    if (!line.sku) errors.push('every line needs a sku');
    if (!(line.quantity > 0)) errors.push('quantity must be positive');
  }
  return errors;
}

router.get('/orders/:id', async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
    if (rows.length === 0) return res.status(404).json({ error: 'not found' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

router.post('/orders', async (req, res, next) => {
  const errors = validateOrder(req.body);
  if (errors.length) return res.status(400).json({ errors });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const id = crypto.randomUUID();
    await client.query('INSERT INTO orders (id, customer) VALUES ($1, $2)', [id, req.body.customer]);
    for (const line of req.body.lines) {
      await client.query('INSERT INTO order_lines (order_id, sku, quantity) VALUES ($1, $2, $3)', [id, line.sku, line.quantity]);
    }
    await client.query('COMMIT');
    res.status(201).json({ id });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

function renderTotals(el, totals) {
  el.textContent = `${totals.count} orders, ${totals.amount.toFixed(2)} total`;
  const list = document.createElement('ul');
  for (const [k, v] of Object.entries(totals.bySku)) {
    const li = document.createElement('li');
    li.textContent = `${k}: ${v}`;
    list.appendChild(li);
  }
  el.appendChild(list);
}

function retryDelay(attempt) {
  return Math.min(30000, 2 ** attempt * 100) + Math.random() * 100;
}

module.exports = { router, renderTotals, retryDelay, validateOrder };
