// Customer: a shopper account; the password hash never leaves the repository layer.
import { toIso } from '../lib/dates.js';

export interface CustomerRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  password_hash: string;
  created_at: Date;
  updated_at: Date;
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  createdAt: string | null;
}

export interface NewCustomer {
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  password: string;
}

export interface CustomerChanges {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    createdAt: toIso(row.created_at),
  };
}

export function displayName(customer: Pick<Customer, 'firstName' | 'lastName'>): string {
  return `${customer.firstName} ${customer.lastName}`.trim();
}
