import { contextBridge } from 'electron'

// Foundation placeholder: the contract-generated bridge replaces this.
contextBridge.exposeInMainWorld('kanade', { version: '0.1.0' })
