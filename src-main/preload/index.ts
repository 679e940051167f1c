// Sandboxed preload (CommonJS, bundled): exposes exactly the contract's named methods.
import { contextBridge, ipcRenderer } from 'electron';
import { buildTokenPlaceApi } from './api';

contextBridge.exposeInMainWorld('tokenplace', buildTokenPlaceApi(ipcRenderer));
