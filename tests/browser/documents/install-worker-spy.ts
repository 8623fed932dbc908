import { installNetworkSpy } from './network-spy.js';

installNetworkSpy(`worker ${self.name}`);
