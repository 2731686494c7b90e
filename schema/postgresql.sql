CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_alembic_version PRIMARY KEY (version_num)
);

CREATE TABLE api_keys (
	api_key_id BIGSERIAL NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	label VARCHAR(100), 
	key_prefix VARCHAR(16) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	revoked_at TIMESTAMP WITHOUT TIME ZONE, 
	CONSTRAINT pk_api_keys PRIMARY KEY (api_key_id), 
	CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash), 
	CONSTRAINT ck_api_keys_role CHECK (role in ('admin', 'clerk', 'analyst'))
);

CREATE TABLE categories (
	category_id BIGSERIAL NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	parent_id BIGINT, 
	parent_key BIGINT GENERATED ALWAYS AS (coalesce(parent_id, 0)) STORED, 
	CONSTRAINT pk_categories PRIMARY KEY (category_id), 
	CONSTRAINT uq_categories_parent_name UNIQUE (parent_key, name), 
	CONSTRAINT ck_categories_name_not_empty CHECK (name <> ''), 
	CONSTRAINT fk_categories_parent_id FOREIGN KEY(parent_id) REFERENCES categories (category_id) ON DELETE RESTRICT
);

CREATE INDEX ix_categories_parent_id ON categories (parent_id);

CREATE TABLE category_sales_daily (
	day_index INTEGER NOT NULL, 
	category_id BIGINT NOT NULL, 
	month_index INTEGER NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	CONSTRAINT pk_category_sales_daily PRIMARY KEY (day_index, category_id)
);

CREATE TABLE category_sales_monthly (
	month_index INTEGER NOT NULL, 
	category_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	CONSTRAINT pk_category_sales_monthly PRIMARY KEY (month_index, category_id)
);

CREATE TABLE category_sales_yearly (
	year_index INTEGER NOT NULL, 
	category_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	CONSTRAINT pk_category_sales_yearly PRIMARY KEY (year_index, category_id)
);

CREATE TABLE country_sales_daily (
	day_index INTEGER NOT NULL, 
	country_code VARCHAR(2) NOT NULL, 
	order_count BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	CONSTRAINT pk_country_sales_daily PRIMARY KEY (day_index, country_code)
);

CREATE TABLE customer_cohort_deltas (
	delta_id BIGSERIAL NOT NULL, 
	first_day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	cohort_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	CONSTRAINT pk_customer_cohort_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE customer_cohorts (
	first_day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	cohort_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	CONSTRAINT pk_customer_cohorts PRIMARY KEY (first_day_index, month_index, cohort_index), 
	CONSTRAINT ck_customer_cohorts_cohort_not_after_month CHECK (cohort_index <= month_index)
);

CREATE TABLE customer_country_days (
	day_index INTEGER NOT NULL, 
	prev_day_index INTEGER NOT NULL, 
	country_code VARCHAR(2) NOT NULL, 
	customer_count BIGINT NOT NULL, 
	CONSTRAINT pk_customer_country_days PRIMARY KEY (day_index, prev_day_index, country_code), 
	CONSTRAINT ck_customer_country_days_prev_day_before_day CHECK (prev_day_index < day_index)
);

CREATE TABLE customer_day_deltas (
	delta_id BIGSERIAL NOT NULL, 
	day_index INTEGER NOT NULL, 
	prev_day_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	CONSTRAINT pk_customer_day_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE customer_days (
	day_index INTEGER NOT NULL, 
	prev_day_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	CONSTRAINT pk_customer_days PRIMARY KEY (day_index, prev_day_index), 
	CONSTRAINT ck_customer_days_prev_day_before_day CHECK (prev_day_index < day_index)
);

CREATE TABLE customer_first_day_totals (
	first_day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	spend_cents BIGINT NOT NULL, 
	lifespan_days BIGINT NOT NULL, 
	CONSTRAINT pk_customer_first_day_totals PRIMARY KEY (first_day_index)
);

CREATE TABLE customer_first_two_days (
	second_day_index INTEGER NOT NULL, 
	first_day_index INTEGER NOT NULL, 
	customer_count BIGINT NOT NULL, 
	CONSTRAINT pk_customer_first_two_days PRIMARY KEY (second_day_index, first_day_index), 
	CONSTRAINT ck_customer_first_two_days_first_day_not_after_second CHECK (first_day_index <= second_day_index)
);

CREATE TABLE customer_recency_frequency (
	recency_from_day INTEGER NOT NULL, 
	order_count BIGINT NOT NULL, 
	customer_count BIGINT NOT NULL, 
	spend_cents BIGINT NOT NULL, 
	CONSTRAINT pk_customer_recency_frequency PRIMARY KEY (recency_from_day, order_count), 
	CONSTRAINT ck_customer_recency_frequency_order_count_positive CHECK (order_count > 0)
);

CREATE TABLE customer_rf_deltas (
	delta_id BIGSERIAL NOT NULL, 
	recency_from_day INTEGER NOT NULL, 
	order_count BIGINT NOT NULL, 
	customer_count BIGINT NOT NULL, 
	spend_cents BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	CONSTRAINT pk_customer_rf_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE customer_sales (
	user_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	spend_cents BIGINT NOT NULL, 
	first_order_at TIMESTAMP WITHOUT TIME ZONE, 
	last_order_at TIMESTAMP WITHOUT TIME ZONE, 
	CONSTRAINT pk_customer_sales PRIMARY KEY (user_id), 
	CONSTRAINT ck_customer_sales_order_count_nonnegative CHECK (order_count >= 0), 
	CONSTRAINT ck_customer_sales_first_order_iff_orders CHECK ((order_count = 0) = (first_order_at is null))
);

CREATE INDEX ix_customer_sales_spend_cents_user_id ON customer_sales (spend_cents DESC, user_id);

CREATE TABLE generation_runs (
	run_id BIGSERIAL NOT NULL, 
	seed BIGINT NOT NULL, 
	scale_factor VARCHAR(32) NOT NULL, 
	end_date VARCHAR(10) NOT NULL, 
	years BIGINT NOT NULL, 
	generator_version VARCHAR(32) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	started_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	finished_at TIMESTAMP WITHOUT TIME ZONE, 
	library_versions VARCHAR(200), 
	CONSTRAINT pk_generation_runs PRIMARY KEY (run_id), 
	CONSTRAINT ck_generation_runs_status CHECK (status in ('running', 'complete', 'failed')), 
	CONSTRAINT ck_generation_runs_finished_at_iff_not_running CHECK ((status = 'running') = (finished_at is null))
);

CREATE TABLE lake_deltas (
	delta_id BIGSERIAL NOT NULL, 
	table_name VARCHAR(40) NOT NULL, 
	month_index INTEGER NOT NULL, 
	change_count BIGINT NOT NULL, 
	CONSTRAINT pk_lake_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE lake_versions (
	table_name VARCHAR(40) NOT NULL, 
	month_index INTEGER NOT NULL, 
	change_count BIGINT NOT NULL, 
	CONSTRAINT pk_lake_versions PRIMARY KEY (table_name, month_index)
);

CREATE TABLE order_event_deltas (
	delta_id BIGSERIAL NOT NULL, 
	day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	method VARCHAR(16), 
	placed_count BIGINT NOT NULL, 
	paid_count BIGINT NOT NULL, 
	shipped_count BIGINT NOT NULL, 
	delivered_count BIGINT NOT NULL, 
	cancelled_count BIGINT NOT NULL, 
	refunded_count BIGINT NOT NULL, 
	refunded_cents BIGINT NOT NULL, 
	attempt_count BIGINT NOT NULL, 
	completed_count BIGINT NOT NULL, 
	failed_count BIGINT NOT NULL, 
	payment_refunded_count BIGINT NOT NULL, 
	captured_cents BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	CONSTRAINT pk_order_event_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE order_funnel_daily (
	day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	placed_count BIGINT NOT NULL, 
	paid_count BIGINT NOT NULL, 
	shipped_count BIGINT NOT NULL, 
	delivered_count BIGINT NOT NULL, 
	cancelled_count BIGINT NOT NULL, 
	refunded_count BIGINT NOT NULL, 
	refunded_cents BIGINT NOT NULL, 
	CONSTRAINT pk_order_funnel_daily PRIMARY KEY (day_index)
);

CREATE TABLE payment_method_daily (
	day_index INTEGER NOT NULL, 
	method VARCHAR(16) NOT NULL, 
	attempt_count BIGINT NOT NULL, 
	completed_count BIGINT NOT NULL, 
	failed_count BIGINT NOT NULL, 
	refunded_count BIGINT NOT NULL, 
	captured_cents BIGINT NOT NULL, 
	CONSTRAINT pk_payment_method_daily PRIMARY KEY (day_index, method)
);

CREATE TABLE product_pairs (
	product_a_id BIGINT NOT NULL, 
	product_b_id BIGINT NOT NULL, 
	pair_orders BIGINT NOT NULL, 
	CONSTRAINT pk_product_pairs PRIMARY KEY (product_a_id, product_b_id), 
	CONSTRAINT ck_product_pairs_lower_product_first CHECK (product_a_id < product_b_id)
);

CREATE INDEX ix_product_pairs_pair_orders_product_a_id ON product_pairs (pair_orders DESC, product_a_id, product_b_id);

CREATE TABLE product_sales_daily (
	day_index INTEGER NOT NULL, 
	product_id BIGINT NOT NULL, 
	month_index INTEGER NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	refunded_units BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_product_sales_daily PRIMARY KEY (day_index, product_id)
);

CREATE INDEX ix_product_sales_daily_product_id ON product_sales_daily (product_id);

CREATE TABLE product_sales_monthly (
	month_index INTEGER NOT NULL, 
	product_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	refunded_units BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_product_sales_monthly PRIMARY KEY (month_index, product_id)
);

CREATE TABLE product_sales_total (
	product_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	refunded_units BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_product_sales_total PRIMARY KEY (product_id)
);

CREATE TABLE product_sales_yearly (
	year_index INTEGER NOT NULL, 
	product_id BIGINT NOT NULL, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	refunded_units BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_product_sales_yearly PRIMARY KEY (year_index, product_id)
);

CREATE TABLE rollup_deltas (
	delta_id BIGSERIAL NOT NULL, 
	day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	product_id BIGINT, 
	order_count BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	new_customer_count BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	order_id BIGINT, 
	refunded_units BIGINT DEFAULT 0 NOT NULL, 
	new_revenue_cents BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_rollup_deltas PRIMARY KEY (delta_id)
);

CREATE TABLE sales_daily (
	day_index INTEGER NOT NULL, 
	month_index INTEGER NOT NULL, 
	order_count BIGINT NOT NULL, 
	revenue_cents BIGINT NOT NULL, 
	units BIGINT NOT NULL, 
	new_customer_count BIGINT NOT NULL, 
	new_revenue_cents BIGINT DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_sales_daily PRIMARY KEY (day_index)
);

CREATE TABLE staff_accounts (
	staff_id BIGSERIAL NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	disabled_at TIMESTAMP WITHOUT TIME ZONE, 
	CONSTRAINT pk_staff_accounts PRIMARY KEY (staff_id), 
	CONSTRAINT uq_staff_accounts_email UNIQUE (email), 
	CONSTRAINT ck_staff_accounts_email_format CHECK (email like '%%_@_%%'), 
	CONSTRAINT ck_staff_accounts_role CHECK (role in ('admin', 'clerk', 'analyst'))
);

CREATE TABLE users (
	user_id BIGSERIAL NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	first_name VARCHAR(100) NOT NULL, 
	last_name VARCHAR(100) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	country_code VARCHAR(2), 
	city VARCHAR(100), 
	CONSTRAINT pk_users PRIMARY KEY (user_id), 
	CONSTRAINT uq_users_email UNIQUE (email), 
	CONSTRAINT ck_users_email_format CHECK (email like '%%_@_%%'), 
	CONSTRAINT ck_users_email_no_trailing_space CHECK (email not like '%% '), 
	CONSTRAINT ck_users_country_code CHECK (country_code is null or length(country_code) = 2)
);

CREATE TABLE idempotency_keys (
	idempotency_key VARCHAR(64) NOT NULL, 
	api_key_id BIGINT, 
	request_hash VARCHAR(64) NOT NULL, 
	status_code INTEGER NOT NULL, 
	response_body TEXT NOT NULL, 
	location VARCHAR(200), 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	staff_id BIGINT, 
	CONSTRAINT pk_idempotency_keys PRIMARY KEY (idempotency_key), 
	CONSTRAINT ck_idempotency_keys_status_code_success CHECK (status_code between 200 and 299), 
	CONSTRAINT ck_idempotency_keys_one_owner CHECK (api_key_id is null or staff_id is null), 
	CONSTRAINT fk_idempotency_keys_api_key_id FOREIGN KEY(api_key_id) REFERENCES api_keys (api_key_id) ON DELETE CASCADE, 
	CONSTRAINT fk_idempotency_keys_staff_id FOREIGN KEY(staff_id) REFERENCES staff_accounts (staff_id) ON DELETE CASCADE
);

CREATE INDEX ix_idempotency_keys_api_key_id ON idempotency_keys (api_key_id);

CREATE INDEX ix_idempotency_keys_staff_id ON idempotency_keys (staff_id);

CREATE TABLE orders (
	order_id BIGSERIAL NOT NULL, 
	user_id BIGINT NOT NULL, 
	status VARCHAR(16) DEFAULT 'pending' NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	total_cents BIGINT NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE, 
	ship_country_code VARCHAR(2), 
	ship_city VARCHAR(100), 
	CONSTRAINT pk_orders PRIMARY KEY (order_id), 
	CONSTRAINT ck_orders_status CHECK (status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')), 
	CONSTRAINT ck_orders_total_cents_nonnegative CHECK (total_cents >= 0), 
	CONSTRAINT ck_orders_total_cents_max CHECK (total_cents <= 100000000000000000), 
	CONSTRAINT ck_orders_ship_country_code CHECK (ship_country_code is null or length(ship_country_code) = 2), 
	CONSTRAINT fk_orders_user_id FOREIGN KEY(user_id) REFERENCES users (user_id) ON DELETE RESTRICT
);

CREATE INDEX ix_orders_created_at ON orders (created_at);

CREATE INDEX ix_orders_status_created_at ON orders (status, created_at);

CREATE INDEX ix_orders_user_id_created_at_status_total_cents ON orders (user_id, created_at, status, total_cents);

CREATE TABLE products (
	product_id BIGSERIAL NOT NULL, 
	category_id BIGINT NOT NULL, 
	sku VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	price_cents BIGINT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	brand VARCHAR(100), 
	CONSTRAINT pk_products PRIMARY KEY (product_id), 
	CONSTRAINT uq_products_sku UNIQUE (sku), 
	CONSTRAINT ck_products_price_cents_nonnegative CHECK (price_cents >= 0), 
	CONSTRAINT ck_products_sku_not_empty CHECK (sku <> ''), 
	CONSTRAINT ck_products_price_cents_max CHECK (price_cents <= 1000000000), 
	CONSTRAINT ck_products_sku_no_trailing_space CHECK (sku not like '%% '), 
	CONSTRAINT fk_products_category_id FOREIGN KEY(category_id) REFERENCES categories (category_id) ON DELETE RESTRICT
);

CREATE INDEX ix_products_category_id ON products (category_id);

CREATE TABLE inventory (
	product_id BIGINT NOT NULL, 
	quantity_on_hand BIGINT NOT NULL, 
	reorder_level BIGINT DEFAULT 0 NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	CONSTRAINT pk_inventory PRIMARY KEY (product_id), 
	CONSTRAINT ck_inventory_quantity_on_hand_nonnegative CHECK (quantity_on_hand >= 0), 
	CONSTRAINT ck_inventory_reorder_level_nonnegative CHECK (reorder_level >= 0), 
	CONSTRAINT ck_inventory_quantity_on_hand_max CHECK (quantity_on_hand <= 1000000000), 
	CONSTRAINT ck_inventory_reorder_level_max CHECK (reorder_level <= 1000000000), 
	CONSTRAINT fk_inventory_product_id FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE CASCADE
);

CREATE TABLE inventory_movements (
	movement_id BIGSERIAL NOT NULL, 
	product_id BIGINT NOT NULL, 
	quantity_delta BIGINT NOT NULL, 
	reason VARCHAR(16) NOT NULL, 
	order_id BIGINT, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	CONSTRAINT pk_inventory_movements PRIMARY KEY (movement_id), 
	CONSTRAINT ck_inventory_movements_reason CHECK (reason in ('receipt', 'sale', 'return', 'adjustment')), 
	CONSTRAINT ck_inventory_movements_quantity_delta_nonzero CHECK (quantity_delta <> 0), 
	CONSTRAINT ck_inventory_movements_quantity_delta_bounded CHECK (quantity_delta between -1000000000 and 1000000000), 
	CONSTRAINT ck_inventory_movements_reason_rules CHECK ((reason <> 'sale' or (quantity_delta < 0 and order_id is not null)) and (reason <> 'return' or (quantity_delta > 0 and order_id is not null)) and (reason <> 'receipt' or (quantity_delta > 0 and order_id is null)) and (reason <> 'adjustment' or order_id is null)), 
	CONSTRAINT fk_inventory_movements_product_id FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE CASCADE, 
	CONSTRAINT fk_inventory_movements_order_id FOREIGN KEY(order_id) REFERENCES orders (order_id) ON DELETE RESTRICT
);

CREATE INDEX ix_inventory_movements_order_id ON inventory_movements (order_id);

CREATE INDEX ix_inventory_movements_product_id_created_at ON inventory_movements (product_id, created_at);

CREATE TABLE order_items (
	order_item_id BIGSERIAL NOT NULL, 
	order_id BIGINT NOT NULL, 
	product_id BIGINT NOT NULL, 
	quantity BIGINT NOT NULL, 
	unit_price_cents BIGINT NOT NULL, 
	CONSTRAINT pk_order_items PRIMARY KEY (order_item_id), 
	CONSTRAINT uq_order_items_order_id_product_id UNIQUE (order_id, product_id), 
	CONSTRAINT ck_order_items_quantity_positive CHECK (quantity > 0), 
	CONSTRAINT ck_order_items_unit_price_cents_nonnegative CHECK (unit_price_cents >= 0), 
	CONSTRAINT ck_order_items_quantity_max CHECK (quantity <= 1000000), 
	CONSTRAINT ck_order_items_unit_price_cents_max CHECK (unit_price_cents <= 1000000000), 
	CONSTRAINT fk_order_items_order_id FOREIGN KEY(order_id) REFERENCES orders (order_id) ON DELETE CASCADE, 
	CONSTRAINT fk_order_items_product_id FOREIGN KEY(product_id) REFERENCES products (product_id) ON DELETE RESTRICT
);

CREATE INDEX ix_order_items_product_id_order_id_quantity_unit_price_cents ON order_items (product_id, order_id, quantity, unit_price_cents);

CREATE TABLE order_status_history (
	history_id BIGSERIAL NOT NULL, 
	order_id BIGINT NOT NULL, 
	from_status VARCHAR(16), 
	to_status VARCHAR(16) NOT NULL, 
	changed_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	CONSTRAINT pk_order_status_history PRIMARY KEY (history_id), 
	CONSTRAINT ck_order_status_history_from_status CHECK (from_status is null or from_status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')), 
	CONSTRAINT ck_order_status_history_to_status CHECK (to_status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')), 
	CONSTRAINT fk_order_status_history_order_id FOREIGN KEY(order_id) REFERENCES orders (order_id) ON DELETE CASCADE
);

CREATE INDEX ix_order_status_history_order_id_changed_at ON order_status_history (order_id, changed_at);

CREATE TABLE payments (
	payment_id BIGSERIAL NOT NULL, 
	order_id BIGINT NOT NULL, 
	amount_cents BIGINT NOT NULL, 
	method VARCHAR(16) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	refunded_at TIMESTAMP WITHOUT TIME ZONE, 
	idempotency_key VARCHAR(64), 
	CONSTRAINT pk_payments PRIMARY KEY (payment_id), 
	CONSTRAINT uq_payments_idempotency_key UNIQUE (idempotency_key), 
	CONSTRAINT ck_payments_amount_cents_positive CHECK (amount_cents > 0), 
	CONSTRAINT ck_payments_amount_cents_max CHECK (amount_cents <= 100000000000000000), 
	CONSTRAINT ck_payments_idempotency_key_no_trailing_space CHECK (idempotency_key not like '%% '), 
	CONSTRAINT ck_payments_method CHECK (method in ('card', 'paypal', 'bank_transfer', 'gift_card')), 
	CONSTRAINT ck_payments_status CHECK (status in ('completed', 'failed', 'refunded')), 
	CONSTRAINT ck_payments_refunded_at_only_if_refunded CHECK (refunded_at is null or status = 'refunded'), 
	CONSTRAINT fk_payments_order_id FOREIGN KEY(order_id) REFERENCES orders (order_id) ON DELETE RESTRICT
);

CREATE INDEX ix_payments_order_id_status ON payments (order_id, status);

CREATE INDEX ix_payments_status_refunded_at_amount_cents ON payments (status, refunded_at, amount_cents);

CREATE TABLE shipments (
	shipment_id BIGSERIAL NOT NULL, 
	order_id BIGINT NOT NULL, 
	carrier VARCHAR(32) NOT NULL, 
	tracking_number VARCHAR(64) NOT NULL, 
	shipped_at TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('UTC', now()) NOT NULL, 
	delivered_at TIMESTAMP WITHOUT TIME ZONE, 
	CONSTRAINT pk_shipments PRIMARY KEY (shipment_id), 
	CONSTRAINT uq_shipments_order_id UNIQUE (order_id), 
	CONSTRAINT uq_shipments_tracking_number UNIQUE (tracking_number), 
	CONSTRAINT ck_shipments_tracking_number_no_trailing_space CHECK (tracking_number not like '%% '), 
	CONSTRAINT ck_shipments_delivered_after_shipped CHECK (delivered_at is null or delivered_at >= shipped_at), 
	CONSTRAINT fk_shipments_order_id FOREIGN KEY(order_id) REFERENCES orders (order_id) ON DELETE CASCADE
);

INSERT INTO alembic_version (version_num) VALUES ('0020');
