package com.example.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public class Accounts {
    private static final String FIND = "SELECT id, owner, balance FROM accounts WHERE id = ?";
    private final Connection conn;

    public Accounts(Connection conn) {
        this.conn = conn;
    }

    public Optional<Account> find(long id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(FIND)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Account> byOwner(String owner) throws SQLException {
        List<Account> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, owner, balance FROM accounts WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    public void transfer(long from, long to, long cents) throws SQLException {
        conn.setAutoCommit(false);
        try (PreparedStatement debit = conn.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE id = ?");
             PreparedStatement credit = conn.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            debit.setLong(1, cents);
            debit.setLong(2, from);
            debit.executeUpdate();
            credit.setLong(1, cents);
            credit.setLong(2, to);
            credit.executeUpdate();
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    private static Account map(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("owner"), rs.getLong("balance"));
    }

    public record Account(long id, String owner, long balance) {}
}
