import { useNav } from '../../app/nav-store';
import { CustomerDetail } from './CustomerDetail';
import { CustomerSearch } from './CustomerSearch';

export function CustomersScreen() {
  const customerId = useNav((s) => s.customerId);
  // Keyed: another customer is a fresh page, never the last one's data while the new one loads.
  return customerId ? <CustomerDetail key={customerId} customerId={customerId} /> : <CustomerSearch />;
}
