import { useNav } from '../../app/nav-store';
import { CustomerDetail } from './CustomerDetail';
import { CustomerSearch } from './CustomerSearch';

export function CustomersScreen() {
  const customerId = useNav((s) => s.customerId);
  return customerId ? <CustomerDetail customerId={customerId} /> : <CustomerSearch />;
}
