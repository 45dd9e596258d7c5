/**
 * Firewalls, firewall rules, networks and load balancers.
 * @module mixcoatl/network
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/network`: firewalls, firewall rules, networks, load balancers. */
export { Firewall } from './firewall.js';
export { FirewallRule, type FirewallRuleInput, type CreateRuleOptions, type RemoveRuleOptions } from './firewall-rule.js';
export { LoadBalancer } from './load-balancer.js';
export { Network, type DeleteNetworkOptions, type Subnet } from './network.js';
