/** `mixcoatl/network`: firewalls, firewall rules, networks, load balancers. */
export { Firewall } from './firewall.js';
