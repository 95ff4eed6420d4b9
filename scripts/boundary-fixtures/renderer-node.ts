// as: renderer/features/fixture.ts
import os from 'os'; // ✗ no Node built-ins in the page
import net from 'node:net'; // ✗
import pino from 'pino'; // ✗ no Node-only packages
import Database from 'better-sqlite3-multiple-ciphers'; // ✗
import { dispatch } from '../../electron/core/dispatch'; // ✗ the page talks only through window.pos
import { create } from 'zustand';
import { parseAmount } from '../../shared/money';
export const all = [os, net, pino, Database, dispatch, create, parseAmount];
