// Review: a customer's 1–5 star rating of a product; "verified" when they bought it.
import { toIso } from '../lib/dates.js';

export interface ReviewRow {
  id: number;
  product_id: number;
  customer_id: number;
  reviewer_name: string;
  rating: number;
  title: string;
  body: string | null;
  verified_purchase: boolean;
  created_at: Date;
}

export interface Review {
  id: number;
  productId: number;
  customerId: number;
  reviewer: string;
  rating: number;
  title: string;
  body: string | null;
  verifiedPurchase: boolean;
  createdAt: string | null;
}

export interface NewReview {
  productId: number;
  customerId: number;
  rating: number;
  title: string;
  body: string | null;
}

export function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    productId: row.product_id,
    customerId: row.customer_id,
    reviewer: row.reviewer_name,
    rating: row.rating,
    title: row.title,
    body: row.body,
    verifiedPurchase: row.verified_purchase,
    createdAt: toIso(row.created_at),
  };
}

export interface ReviewSummary {
  productId: number;
  count: number;
  averageRating: number | null;
  items: Review[];
}
