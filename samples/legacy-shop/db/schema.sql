-- legacy-shop schema (Postgres). Idempotent: safe to apply on every start.
-- Money is integer cents. Tables are grouped by the team that created them, not that it helps.

-- catalog ------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS categories (
  id          SERIAL PRIMARY KEY,
  name        TEXT NOT NULL,
  slug        TEXT NOT NULL UNIQUE,
  parent_id   INTEGER REFERENCES categories(id),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS products (
  id           SERIAL PRIMARY KEY,
  sku          TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  description  TEXT,
  price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
  category_id  INTEGER NOT NULL REFERENCES categories(id),
  active       BOOLEAN NOT NULL DEFAULT true,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS products_category_idx ON products (category_id);
CREATE INDEX IF NOT EXISTS products_active_idx ON products (active);

CREATE TABLE IF NOT EXISTS product_images (
  id          SERIAL PRIMARY KEY,
  product_id  INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  url         TEXT NOT NULL,
  alt_text    TEXT,
  position    INTEGER NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS product_images_product_idx ON product_images (product_id);

-- customers ----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS customers (
  id             SERIAL PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,
  first_name     TEXT NOT NULL,
  last_name      TEXT NOT NULL,
  phone          TEXT,
  password_hash  TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS addresses (
  id           SERIAL PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  line1        TEXT NOT NULL,
  line2        TEXT,
  city         TEXT NOT NULL,
  region       TEXT NOT NULL,
  postal_code  TEXT NOT NULL,
  country      TEXT NOT NULL DEFAULT 'US',
  is_default   BOOLEAN NOT NULL DEFAULT false,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS addresses_customer_idx ON addresses (customer_id);

CREATE TABLE IF NOT EXISTS sessions (
  id           SERIAL PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  token        TEXT NOT NULL UNIQUE,
  expires_at   TIMESTAMPTZ NOT NULL,
  revoked_at   TIMESTAMPTZ,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sessions_customer_idx ON sessions (customer_id);

-- orders -------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS carts (
  id           SERIAL PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'converted', 'abandoned')),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS carts_one_open_per_customer ON carts (customer_id) WHERE status = 'open';

CREATE TABLE IF NOT EXISTS cart_items (
  cart_id     INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
  product_id  INTEGER NOT NULL REFERENCES products(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  added_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE IF NOT EXISTS orders (
  id                   SERIAL PRIMARY KEY,
  customer_id          INTEGER NOT NULL REFERENCES customers(id),
  status               TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'paid', 'payment_failed', 'shipped', 'delivered', 'cancelled')),
  currency             TEXT NOT NULL DEFAULT 'USD',
  subtotal_cents       INTEGER NOT NULL DEFAULT 0,
  discount_cents       INTEGER NOT NULL DEFAULT 0,
  shipping_cents       INTEGER NOT NULL DEFAULT 0,
  tax_cents            INTEGER NOT NULL DEFAULT 0,
  total_cents          INTEGER NOT NULL DEFAULT 0,
  shipping_address_id  INTEGER REFERENCES addresses(id),
  promotion_code       TEXT,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_customer_idx ON orders (customer_id);
CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status);

CREATE TABLE IF NOT EXISTS order_lines (
  id                SERIAL PRIMARY KEY,
  order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id        INTEGER NOT NULL REFERENCES products(id),
  sku               TEXT NOT NULL,
  product_name      TEXT NOT NULL,
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents  INTEGER NOT NULL,
  line_total_cents  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS order_lines_order_idx ON order_lines (order_id);
CREATE INDEX IF NOT EXISTS order_lines_product_idx ON order_lines (product_id);

-- inventory ----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS warehouses (
  id          SERIAL PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  city        TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS stock_levels (
  product_id    INTEGER NOT NULL REFERENCES products(id),
  warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
  on_hand       INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, warehouse_id)
);

CREATE TABLE IF NOT EXISTS stock_movements (
  id            SERIAL PRIMARY KEY,
  product_id    INTEGER NOT NULL REFERENCES products(id),
  warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
  delta         INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  reference     TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stock_movements_product_idx ON stock_movements (product_id);

CREATE TABLE IF NOT EXISTS stock_reservations (
  id            SERIAL PRIMARY KEY,
  order_id      INTEGER NOT NULL REFERENCES orders(id),
  product_id    INTEGER NOT NULL REFERENCES products(id),
  warehouse_id  INTEGER NOT NULL REFERENCES warehouses(id),
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  status        TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'committed', 'released')),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stock_reservations_order_idx ON stock_reservations (order_id);

-- payments -----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS payments (
  id                 SERIAL PRIMARY KEY,
  order_id           INTEGER NOT NULL REFERENCES orders(id),
  amount_cents       INTEGER NOT NULL CHECK (amount_cents >= 0),
  currency           TEXT NOT NULL DEFAULT 'USD',
  status             TEXT NOT NULL CHECK (status IN ('captured', 'declined', 'refunded', 'partially_refunded')),
  method             TEXT NOT NULL DEFAULT 'card',
  card_last4         TEXT,
  gateway_reference  TEXT NOT NULL,
  failure_reason     TEXT,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payments_order_idx ON payments (order_id);

CREATE TABLE IF NOT EXISTS refunds (
  id                 SERIAL PRIMARY KEY,
  payment_id         INTEGER NOT NULL REFERENCES payments(id),
  amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
  reason             TEXT,
  gateway_reference  TEXT NOT NULL,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refunds_payment_idx ON refunds (payment_id);

CREATE TABLE IF NOT EXISTS invoices (
  id              SERIAL PRIMARY KEY,
  number          TEXT NOT NULL UNIQUE,
  order_id        INTEGER NOT NULL UNIQUE REFERENCES orders(id),
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  subtotal_cents  INTEGER NOT NULL,
  tax_cents       INTEGER NOT NULL,
  total_cents     INTEGER NOT NULL,
  issued_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- shipping -----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS carriers (
  id                      SERIAL PRIMARY KEY,
  code                    TEXT NOT NULL UNIQUE,
  name                    TEXT NOT NULL,
  base_rate_cents         INTEGER NOT NULL,
  tracking_url_template   TEXT NOT NULL,
  active                  BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE IF NOT EXISTS shipments (
  id               SERIAL PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders(id),
  carrier_id       INTEGER NOT NULL REFERENCES carriers(id),
  address_id       INTEGER NOT NULL REFERENCES addresses(id),
  tracking_number  TEXT UNIQUE,
  status           TEXT NOT NULL DEFAULT 'label_created',
  shipped_at       TIMESTAMPTZ,
  delivered_at     TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS shipments_order_idx ON shipments (order_id);

CREATE TABLE IF NOT EXISTS shipment_events (
  id           SERIAL PRIMARY KEY,
  shipment_id  INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
  status       TEXT NOT NULL,
  location     TEXT,
  note         TEXT,
  occurred_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS shipment_events_shipment_idx ON shipment_events (shipment_id);

-- notifications ------------------------------------------------------------
CREATE TABLE IF NOT EXISTS email_templates (
  id          SERIAL PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS notifications (
  id            SERIAL PRIMARY KEY,
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  template_key  TEXT NOT NULL,
  channel       TEXT NOT NULL DEFAULT 'email',
  recipient     TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  sent_at       TIMESTAMPTZ,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS notifications_customer_idx ON notifications (customer_id);
CREATE INDEX IF NOT EXISTS notifications_status_idx ON notifications (status);

CREATE TABLE IF NOT EXISTS outbox (
  id              SERIAL PRIMARY KEY,
  topic           TEXT NOT NULL,
  aggregate_type  TEXT NOT NULL,
  aggregate_id    INTEGER NOT NULL,
  payload         JSONB NOT NULL,
  published_at    TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

-- reviews ------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS reviews (
  id                 SERIAL PRIMARY KEY,
  product_id         INTEGER NOT NULL REFERENCES products(id),
  customer_id        INTEGER NOT NULL REFERENCES customers(id),
  rating             INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title              TEXT NOT NULL,
  body               TEXT,
  verified_purchase  BOOLEAN NOT NULL DEFAULT false,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (product_id, customer_id)
);

-- promotions ---------------------------------------------------------------
CREATE TABLE IF NOT EXISTS promotions (
  id                  SERIAL PRIMARY KEY,
  code                TEXT NOT NULL UNIQUE,
  description         TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
  value               INTEGER NOT NULL CHECK (value > 0),
  min_subtotal_cents  INTEGER NOT NULL DEFAULT 0,
  starts_at           TIMESTAMPTZ NOT NULL,
  ends_at             TIMESTAMPTZ NOT NULL,
  max_redemptions     INTEGER,
  active              BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE IF NOT EXISTS promotion_redemptions (
  id              SERIAL PRIMARY KEY,
  promotion_id    INTEGER NOT NULL REFERENCES promotions(id),
  order_id        INTEGER NOT NULL REFERENCES orders(id),
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  discount_cents  INTEGER NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS promotion_redemptions_promotion_idx ON promotion_redemptions (promotion_id);
